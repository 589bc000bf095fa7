using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Signet.Server.AdminApi;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Hosting;
using Signet.Server.Settings;
using Signet.Server.Tls;

namespace Signet.Server.Startup;

/// <summary>The start sequence after the host is built; the one place that knows every feature's first-start step.</summary>
internal static class ServerStart
{
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
