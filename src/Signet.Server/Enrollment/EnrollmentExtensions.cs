using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.Enrollment;

internal static class EnrollmentExtensions
{
    public static WebApplicationBuilder AddEnrollment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EnrollmentOptions>()
            .BindConfiguration(EnrollmentOptions.Section)
            .Validate(o => o.PermitsPerMinute is >= 1 and <= 100_000, "Signet:Enrollment:PermitsPerMinute must be 1..100000.")
            .Validate(o => o.MaximumBodyBytes is >= 4_096 and <= 1_048_576, "Signet:Enrollment:MaximumBodyBytes must be 4096..1048576.")
            .ValidateOnStart();
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .Validate(o => o.CheckInIntervalSeconds is >= 10 and <= 86_400, "Signet:CheckInIntervalSeconds must be 10..86400.")
            .Validate(o => o.RenewalGraceMinutes is >= 0 and <= 1_440, "Signet:RenewalGraceMinutes must be 0..1440.")
            .ValidateOnStart();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(EnrollEndpoint.RateLimitPolicy, context =>
            {
                var permits = context.RequestServices.GetRequiredService<IOptions<EnrollmentOptions>>().Value.PermitsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = (context, _) => new ValueTask(ProblemResults.WriteAsync(context.HttpContext, ProblemCode.RateLimited,
                StatusCodes.Status429TooManyRequests, "Too many enrollment attempts from this address: wait a minute and try again."));
        });
        return builder;
    }
}
