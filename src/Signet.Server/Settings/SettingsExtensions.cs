using Microsoft.Extensions.DependencyInjection.Extensions;
using Signet.Server.Cluster;

namespace Signet.Server.Settings;

internal static class SettingsExtensions
{
    /// <summary>The Security and Check-In settings (held in memory for agent requests, re-read when another node changes
    /// them) and the configured defaults the agent API hands out.</summary>
    public static WebApplicationBuilder AddSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .Validate(o => o.CheckInIntervalSeconds is >= 10 and <= 86_400, "Signet:CheckInIntervalSeconds must be 10..86400.")
            .Validate(o => o.RenewalGraceMinutes is >= 0 and <= 1_440, "Signet:RenewalGraceMinutes must be 0..1440.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SecuritySettingsSnapshot>();
        builder.Services.AddSingleton<CheckInSettingsSnapshot>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterListener, SettingsClusterListener>());
        builder.Services.AddScoped<SecuritySettingsService>();
        builder.Services.AddScoped<CheckInSettingsService>();
        builder.Services.AddScoped<SignatureReadiness>();
        return builder;
    }
}
