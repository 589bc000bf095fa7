namespace Signet.Server.Enrollment;

internal static class EnrollmentExtensions
{
    public static WebApplicationBuilder AddEnrollment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EnrollmentOptions>()
            .BindConfiguration(EnrollmentOptions.Section)
            .Validate(o => o.PermitsPerMinute is >= 1 and <= 100_000, "Signet:Enrollment:PermitsPerMinute (failed attempts per address and minute) must be 1..100000.")
            .Validate(o => o.MaximumBodyBytes is >= 4_096 and <= 1_048_576, "Signet:Enrollment:MaximumBodyBytes must be 4096..1048576.")
            .ValidateOnStart();
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .Validate(o => o.CheckInIntervalSeconds is >= 10 and <= 86_400, "Signet:CheckInIntervalSeconds must be 10..86400.")
            .Validate(o => o.RenewalGraceMinutes is >= 0 and <= 1_440, "Signet:RenewalGraceMinutes must be 0..1440.")
            .ValidateOnStart();

        builder.Services.AddSingleton<EnrollmentFailures>();
        return builder;
    }
}
