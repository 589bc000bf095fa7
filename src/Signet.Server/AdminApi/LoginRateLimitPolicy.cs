using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.AdminApi;

/// <summary>Login requests (the token endpoint and the console's login form) per client address (<see cref="LoginAddress"/>)
/// and minute, right or wrong: a bound on the hashing work and audit rows one address can cause, beside the failure
/// lockout. Showing the login form (GET) is not counted.</summary>
internal sealed class LoginRateLimitPolicy(IOptions<AdminOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "admin-login";
    private const string Unlimited = "-";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (context, _) =>
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return new ValueTask(ProblemResults.WriteAsync(context.HttpContext, ProblemCode.RateLimited, StatusCodes.Status429TooManyRequests,
            "Too many login attempts from this address: wait a minute and try again."));
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        HttpMethods.IsPost(httpContext.Request.Method)
            ? RateLimitPartition.GetFixedWindowLimiter(LoginAddress.Of(httpContext.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.LoginPermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter(Unlimited);
}
