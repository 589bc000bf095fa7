namespace Signet.Server.DeviceAuthentication;

internal static class DeviceAuthenticationExtensions
{
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
        builder.Services.AddSingleton<INonceStore, MemoryNonceStore>();
        builder.Services.AddSingleton<DeviceActivityRecorder>();
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
