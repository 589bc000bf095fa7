using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Server.Data;
using Signet.Server.Problems;

namespace Signet.Server.AdminApi;

internal sealed record TokenRequest(string? Username, string? Password);

internal sealed record TokenResponse(string Token, DateTimeOffset ExpiresAt);

internal static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAdminAuth(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithName("CreateToken").WithTags("Admin");
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
        if (result.Status == LoginStatus.LockedOut)
        {
            return ProblemResults.Create(ProblemCode.RateLimited, StatusCodes.Status429TooManyRequests,
                "The account is locked after repeated failed logins; try again later.");
        }

        if (result.User is not { } user)
        {
            return ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status401Unauthorized,
                "The username or password is wrong.");
        }

        var now = time.GetUtcNow();
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now.AddMinutes(options.Value.TokenLifetimeMinutes);
        db.AdminTokens.Add(new AdminToken { TokenHash = AdminBearerHandler.HashToken(token), UserId = user.Id, CreatedAt = now, ExpiresAt = expiresAt });
        await db.AdminTokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }
}
