using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Data;

namespace Signet.Server.AdminApi;

/// <summary>Bearer tokens from <c>POST /api/v1/auth/token</c>, checked against their hash in the database so
/// every node accepts a token any node issued.</summary>
internal sealed class AdminBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignetDbContext db,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminBearer";

    /// <summary>The database id of the token that authenticated the request, so <c>DELETE /api/v1/auth/token</c> can end it.</summary>
    public const string TokenIdClaim = "signet:token-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 256)
        {
            return AuthenticateResult.Fail("Malformed bearer token.");
        }

        var hash = HashToken(token);
        var now = time.GetUtcNow();
        // A token ends with its account's security stamp (a password change), not only when it expires or is deleted.
        var holder = await (from t in db.AdminTokens
                            join u in db.AdminUsers on t.UserId equals u.Id
                            where t.TokenHash == hash && t.ExpiresAt > now && t.SecurityStamp == u.SecurityStamp
                            select new { u.Username, TokenId = t.Id }).FirstOrDefaultAsync(Context.RequestAborted);
        if (holder is null)
        {
            return AuthenticateResult.Fail("Unknown, ended or expired bearer token.");
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, holder.Username), new Claim(TokenIdClaim, holder.TokenId.ToString(CultureInfo.InvariantCulture))],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.ProblemResults.WriteAsync(Context, Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status401Unauthorized,
            "Authentication is required: get a token from POST /api/v1/auth/token and send it as 'Authorization: Bearer <token>'.");
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
