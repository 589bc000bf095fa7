using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Server.Audit;
using Signet.Server.Data;
using Signet.Server.Problems;

namespace Signet.Server.AdminApi;

internal sealed record TokenRequest(string? Username, string? Password);

internal sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAdminAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithName("CreateToken").WithTags("Admin")
            .WithSummary("Log in: exchange a username and password for a bearer token")
            .ProducesProblem(ProblemCode.ValidationFailed, StatusCodes.Status401Unauthorized)
            .RequireRateLimiting(LoginRateLimitPolicy.Name);
        // Only a bearer token can be ended this way; a console session logs out on its own page.
        app.MapDelete("/api/v1/auth/token", EndTokenAsync).WithName("EndToken").WithTags("Admin")
            .WithSummary("Log out: end the bearer token that authenticates this request")
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = AdminBearerHandler.SchemeName });
        return app;
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest? request, AdminLogin login, SignetDbContext db,
        IOptions<AdminOptions> options, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password) ||
            request.Username.Length > 64 || request.Password.Length > 1024)
        {
            return ProblemResults.Validation("username", "Send {\"username\": \"...\", \"password\": \"...\"}.");
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = await login.CheckAsync(request.Username, request.Password, address, cancellationToken);
        if (result.Status is LoginStatus.LockedOut or LoginStatus.AddressLockedOut)
        {
            var what = result.Status == LoginStatus.LockedOut ? "for this username" : "from this address";
            return ProblemResults.Create(ProblemCode.RateLimited, StatusCodes.Status429TooManyRequests,
                $"Too many failed logins {what}: try again in {options.Value.LockoutMinutes} minutes.");
        }

        if (result.User is not { } user)
        {
            return ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status401Unauthorized,
                "The username or password is wrong.");
        }

        var now = time.GetUtcNow();
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now.AddMinutes(options.Value.TokenLifetimeMinutes);
        db.AdminTokens.Add(new AdminToken
        {
            TokenHash = AdminBearerHandler.HashToken(token),
            UserId = user.Id,
            SecurityStamp = user.SecurityStamp,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        });
        await db.AdminTokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    /// <summary>Ends the token that authenticated this request; other tokens of the account go on.</summary>
    private static async Task<IResult> EndTokenAsync(ClaimsPrincipal user, SignetDbContext db, AuditLog audit, HttpContext context,
        CancellationToken cancellationToken)
    {
        var id = long.Parse(user.FindFirstValue(AdminBearerHandler.TokenIdClaim)!, CultureInfo.InvariantCulture);
        await db.AdminTokens.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
        var username = user.Identity?.Name ?? "";
        audit.Record(username, AuditActions.LoggedOut, username,
            "ended an API token from " + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
