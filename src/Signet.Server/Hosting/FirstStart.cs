using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Signet.Server.AdminApi;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Settings;

namespace Signet.Server.Hosting;

internal static class FirstStart
{
    public const string DefaultUrl = "https://localhost:8443";

    /// <summary>Data folder, master key, TLS options and the default https://localhost:8443 endpoint.</summary>
    public static WebApplicationBuilder AddSignetHosting(this WebApplicationBuilder builder)
    {
        builder.ExitWithOneLineOnFailure();
        builder.Services.AddOptions<HostingOptions>()
            .BindConfiguration(HostingOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Signet:DataDirectory must name a folder.")
            .Validate(o => string.IsNullOrWhiteSpace(o.MasterKey) || MasterKey.IsWellFormed(o.MasterKey),
                "Signet:MasterKey must be the base64 encoding of exactly 32 bytes (or empty, to use <data>/master.key).")
            .ValidateOnStart();
        builder.Services.AddOptions<TlsOptions>()
            .BindConfiguration(TlsOptions.Section)
            .Validate(o => o.LifetimeDays is >= 2 and <= 825 && o.RenewBeforeDays >= 1 && o.RenewBeforeDays < o.LifetimeDays,
                "Signet:Tls:LifetimeDays must be 2..825 and Signet:Tls:RenewBeforeDays 1..LifetimeDays-1.")
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
        builder.Services.AddSingleton<TlsCertificateProvider>();

        RefuseUnreadableUrls(builder.Configuration[WebHostDefaults.ServerUrlsKey]);
        // --urls, ASPNETCORE_URLS and Kestrel:Endpoints all win over the default.
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) &&
            !builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.Limits.MaxRequestBodySize = 2 * 1024 * 1024;
            kestrel.ConfigureHttpsDefaults(https =>
            {
                var tls = kestrel.ApplicationServices.GetRequiredService<TlsCertificateProvider>();
                // Kestrel wants a certificate source to accept the endpoint; each handshake then gets the one context
                // (a selector alone makes SslStream build a chain and an OpenSSL context per connection: ~5 ms of CPU).
                https.ServerCertificateSelector = (_, _) => tls.Current;
                https.OnAuthenticate = (_, ssl) =>
                {
                    if (tls.Context is { } context)
                    {
                        ssl.ServerCertificateSelectionCallback = null;
                        ssl.ServerCertificateContext = context;
                    }
                };
            });
        });
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

    /// <summary>Everything a start needs before serving: database, CA, TLS certificate, settings, admin account.
    /// The first start creates them; later starts (and other nodes) load what is there.</summary>
    public static async Task InitializeSignetAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var services = app.Services;
        // Every setting is checked before anything is created: a wrong value leaves no data folder, CA or database behind.
        services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        // Files at rest first: nothing is opened or written in a folder, or under a master key, others can read.
        _ = services.GetRequiredService<DataDirectory>();
        _ = services.GetRequiredService<MasterKey>();
        await services.MigrateSignetDatabaseAsync(cancellationToken);
        await services.GetRequiredService<CertificateAuthorityStore>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<TlsCertificateProvider>().InitializeAsync(cancellationToken);
        await services.GetRequiredService<SecuritySettingsSnapshot>().InitializeAsync(services.GetRequiredService<TimeProvider>(), cancellationToken);
        await services.GetRequiredService<CheckInSettingsSnapshot>().LoadAsync(cancellationToken);
        await services.GetRequiredService<AdminAccountSetup>().InitializeAsync(cancellationToken);

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            StartFailure.Started();
            Banner.Log(app, services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>());
        });
    }
}
