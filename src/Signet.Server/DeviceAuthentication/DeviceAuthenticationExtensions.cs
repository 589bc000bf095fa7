namespace Signet.Server.DeviceAuthentication;

internal static class DeviceAuthenticationExtensions
{
    public static WebApplicationBuilder AddDeviceAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<DeviceSignatureOptions, DeviceSignatureHandler>(DeviceSignatureDefaults.AuthenticationScheme, options =>
                builder.Configuration.GetSection(DeviceSignatureOptions.Section).Bind(options));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DeviceSignatureDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(DeviceSignatureDefaults.AuthenticationScheme)
                .RequireClaim(DeviceSignatureDefaults.ComputerIdClaim));
        builder.Services.AddSingleton<CachingDeviceDirectory>();
        builder.Services.AddSingleton<IDeviceKeyDirectory>(services => services.GetRequiredService<CachingDeviceDirectory>());
        builder.Services.AddSingleton<IComputerDirectory>(services => services.GetRequiredService<CachingDeviceDirectory>());
        builder.Services.AddSingleton<INonceStore, MemoryNonceStore>();
        builder.Services.AddSingleton<DeviceActivityRecorder>();
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
