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
        builder.Services.AddSingleton<EnrollmentFailures>();
        builder.Services.AddScoped<EnrollmentRequestQueries>();
        return builder;
    }
}
