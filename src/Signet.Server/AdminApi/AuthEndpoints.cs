using System.Security.Cryptography;
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
        app.MapPost("/api/v1/auth/token", IssueTokenAsync).WithName("CreateToken").WithTags("Admin");
        return app;
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest? request, SignetDbContext db, AuditLog audit,
        IOptions<AdminOptions> options, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (request is null || string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password) ||
            request.Username.Length > 64 || request.Password.Length > 1024)
        {
            return ProblemResults.Validation("username", "Send {\"username\": \"...\", \"password\": \"...\"}.");
        }

        var now = time.GetUtcNow();
        var settings = options.Value;
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.Username == request.Username, cancellationToken);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (user is not null && user.LockedUntil > now)
        {
            return ProblemResults.Create(ProblemCode.RateLimited, StatusCodes.Status429TooManyRequests,
                "The account is locked after repeated failed logins; try again later.");
        }

        if (user is null || !PasswordHasher.Verify(request.Password, user.PasswordHash, user.PasswordSalt, user.PasswordIterations))
        {
            if (user is not null)
            {
                user.FailedLogins++;
                if (user.FailedLogins >= settings.MaxFailedLogins)
                {
                    user.LockedUntil = now.AddMinutes(settings.LockoutMinutes);
                    user.FailedLogins = 0;
                }

                user.Version = Guid.NewGuid();
            }

            audit.Record(address, AuditActions.LoginFailed, request.Username);
            await SaveIgnoringConflictsAsync(db, cancellationToken);
            return ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status401Unauthorized,
                "The username or password is wrong.");
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.Version = Guid.NewGuid();
        var token = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now.AddMinutes(settings.TokenLifetimeMinutes);
        db.AdminTokens.Add(new AdminToken { TokenHash = AdminBearerHandler.HashToken(token), UserId = user.Id, CreatedAt = now, ExpiresAt = expiresAt });
        await db.AdminTokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        audit.Record(user.Username, AuditActions.LoginSucceeded, user.Username, "from " + address);
        await SaveIgnoringConflictsAsync(db, cancellationToken);
        return TypedResults.Ok(new TokenResponse(token, expiresAt));
    }

    /// <summary>Two logins at once may both touch the failure counter; the counter is advisory, the token is not lost.</summary>
    private static async Task SaveIgnoringConflictsAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException conflict)
        {
            foreach (var entry in conflict.Entries.Where(e => e.Entity is AdminUser))
            {
                entry.State = Microsoft.EntityFrameworkCore.EntityState.Unchanged;
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
