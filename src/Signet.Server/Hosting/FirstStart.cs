namespace Signet.Server.Hosting;

internal static class FirstStart
{
    public const string DefaultUrl = "https://localhost:8443";

    /// <summary>Data folder, master key, HTTP hardening and the default https://localhost:8443 endpoint (its certificate: Tls/).</summary>
    public static WebApplicationBuilder AddSignetHosting(this WebApplicationBuilder builder)
    {
        builder.ExitWithOneLineOnFailure();
        builder.Services.AddOptions<HostingOptions>()
            .BindConfiguration(HostingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Signet:DataDirectory must name a folder.")
            .Validate(o => string.IsNullOrWhiteSpace(o.MasterKey) || MasterKey.IsWellFormed(o.MasterKey),
                "Signet:MasterKey must be the base64 encoding of exactly 32 bytes (or empty, to use <data>/master.key).")
            .ValidateOnStart();
        // Per-request framework logs drown the server's own unless the operator asks for them.
        foreach (var category in new[] { "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore" })
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
            {
                builder.Logging.AddFilter(category, LogLevel.Warning);
            }
        }

        builder.AddHttpHardening();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<DataDirectory>();
        builder.Services.AddSingleton<MasterKey>();
        builder.Services.AddSingleton<PrivateKeyProtector>();

        RefuseUnreadableUrls(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        // --urls, ASPNETCORE_URLS and Kestrel:Endpoints all win over the default.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 2 * 1024 * 1024);
        return builder;
    }

    /// <summary>Kestrel would refuse a malformed address only after the database and CA were set up.</summary>
    private static void RefuseUnreadableUrls(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                _ = BindingAddress.Parse(url);
            }
            catch (FormatException e)
            {
                throw new StartRefusedException(ServerExitCodes.Listen,
                    $"Cannot listen on '{url}' ({e.Message}); set --urls (ASPNETCORE_URLS) to addresses such as https://0.0.0.0:8443, separated by ';'.", e);
            }
        }
    }
}
