using Microsoft.Extensions.DependencyInjection.Extensions;
using Signet.Server.Cluster;
using Signet.Server.Data;

namespace Signet.Server.DeviceAuthentication;

internal static class DeviceAuthenticationExtensions
{
    /// <summary>The <c>DeviceSignature</c> scheme, the device directory, the activity recorder and the replay cache: in
    /// memory on one node, shared in PostgreSQL when the database is (so a nonce used on one node is refused on all).</summary>
    public static WebApplicationBuilder AddDeviceAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<DeviceSignatureOptions, DeviceSignatureHandler>(DeviceSignatureDefaults.AuthenticationScheme, options =>
                builder.Configuration.GetSection(DeviceSignatureOptions.Section).Bind(options));
        builder.Services.AddOptions<DeviceSignatureOptions>(DeviceSignatureDefaults.AuthenticationScheme)
            .Validate(o => o.MaximumBodyBytes is >= 1_024 and <= 16 * 1_048_576, "Signet:DeviceAuthentication:MaximumBodyBytes must be 1 KiB..16 MiB.")
            .Validate(o => o.KeyCacheSize >= 1_000, "Signet:DeviceAuthentication:KeyCacheSize must be at least 1000.")
            .Validate(o => o.NonceCapacity >= 1_000, "Signet:DeviceAuthentication:NonceCapacity must be at least 1000.")
            .Validate(o => o.NegativeCacheDuration > TimeSpan.Zero && o.NegativeCacheDuration <= TimeSpan.FromMinutes(10),
                "Signet:DeviceAuthentication:NegativeCacheDuration must be positive and at most 10 minutes.")
            .Validate(o => o.ActivityFlushInterval >= TimeSpan.FromMilliseconds(100) && o.ActivityFlushInterval <= TimeSpan.FromMinutes(5),
                "Signet:DeviceAuthentication:ActivityFlushInterval must be 100 ms..5 minutes.")
            .ValidateOnStart();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeviceSignatureDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(DeviceSignatureDefaults.AuthenticationScheme)
                .RequireClaim(DeviceSignatureDefaults.ComputerIdClaim));
        builder.Services.AddSingleton<CachingDeviceDirectory>();
        builder.Services.AddSingleton<IDeviceKeyDirectory>(services => services.GetRequiredService<CachingDeviceDirectory>());
        builder.Services.AddSingleton<IComputerDirectory>(services => services.GetRequiredService<CachingDeviceDirectory>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IClusterListener, DeviceDirectoryClusterListener>());
        if (DatabaseOptions.From(builder.Configuration).IsPostgreSql)
        {
            builder.Services.AddSingleton<MemoryNonceStore>();
            builder.Services.AddSingleton<PostgresNonceStore>();
            builder.Services.AddSingleton<INonceStore>(services => services.GetRequiredService<PostgresNonceStore>());
            builder.Services.AddHostedService<NonceSweepService>();
        }
        else
        {
            builder.Services.AddSingleton<INonceStore, MemoryNonceStore>();
        }

        builder.Services.AddSingleton<DeviceActivityRecorder>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IBufferedWrites, DeviceActivityRecorder>(
            services => services.GetRequiredService<DeviceActivityRecorder>()));
        builder.Services.AddSingleton<ReplayCacheMetrics>();
        builder.Services.AddHostedService<DeviceActivityFlushService>();
        return builder;
    }

    /// <summary>The endpoint needs a valid device signature even with certificate-based communication off.</summary>
    public static TBuilder RequireDeviceSignature<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireDeviceSignatureMetadata());

    /// <summary>The authenticated computer's id.</summary>
    public static string ComputerId(this System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(DeviceSignatureDefaults.ComputerIdClaim)?.Value ?? throw new InvalidOperationException("Not a device request.");
}
