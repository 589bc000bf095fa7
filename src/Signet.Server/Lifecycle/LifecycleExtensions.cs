using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Lifecycle;

internal static class LifecycleExtensions
{
    /// <summary>The certificate lifecycle: the one owner of every change to a computer's certificates.</summary>
    public static WebApplicationBuilder AddCertificateLifecycle(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LifecycleOptions>()
            .BindConfiguration(LifecycleOptions.Section)
            .Validate(o => o.HeldRequestLifetimeDays is >= 1 and <= 90, "Signet:Lifecycle:HeldRequestLifetimeDays must be 1..90.")
            .Validate(o => o.MaximumPendingRequests is >= 1 and <= 1_000_000, "Signet:Lifecycle:MaximumPendingRequests must be 1..1000000.")
            .Validate(o => o.PollAfterSeconds is >= 1 and <= 3_600, "Signet:Lifecycle:PollAfterSeconds must be 1..3600.")
            .ValidateOnStart();
        builder.Services.AddScoped<CertificateLifecycle>();
        builder.Services.AddScoped<IRenewedCertificateActivation>(services => services.GetRequiredService<CertificateLifecycle>());
        builder.Services.AddSingleton<NewComputerCommitter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NewComputerCommitter>());
        return builder;
    }
}
