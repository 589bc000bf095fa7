using Microsoft.AspNetCore.Hosting.Server.Features;
using Signet.Server.AdminApi;
using Signet.Server.CertificateAuthority;
using Signet.Server.Hosting;
using Signet.Server.WebConsole;

namespace Signet.Server.Startup;

/// <summary>What the server says once it is serving: where to connect, the console, which CA to pin, where the admin
/// password is. Logged (category <c>Signet.Server.Hosting.Banner</c>) with each value as a named property, so it
/// reads the same in the simple, json and systemd console formats and in any log collector.</summary>
internal static partial class Banner
{
    /// <summary>The category operators filter on (docs/operations.md): the banner's, from before it moved to Startup/.</summary>
    private const string Category = "Signet.Server.Hosting.Banner";

    public static void Log(WebApplication app, IServerAddressesFeature? addresses)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var signer = app.Services.GetRequiredService<ICaSigner>();
        var ca = signer.Certificate;
        var admin = app.Services.GetRequiredService<AdminAccountSetup>();
        var urls = addresses?.Addresses is { Count: > 0 } list ? list.ToArray() : app.Urls.ToArray();
        var consoleUrl = ConsoleUrl(urls.FirstOrDefault() ?? FirstStart.DefaultUrl);
        var fingerprint = CaFingerprint.Sha256Hex(ca);
        var joined = string.Join(", ", urls);
        LogRunning(logger, joined, consoleUrl, fingerprint, ca.Subject, signer.KeyLocation, ServerCommandLine.Version);
        if (admin.GeneratedPassword is { } generated)
        {
            LogGeneratedPassword(logger, generated, admin.GeneratedPasswordFile ?? "");
        }
        else if (admin.GeneratedPasswordFile is { } file)
        {
            LogPasswordFile(logger, file);
        }
    }

    /// <summary>The console's address on the first address listened on; a wildcard host reads as localhost.</summary>
    private static string ConsoleUrl(string address)
    {
        var wildcard = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return wildcard.TrimEnd('/') + ConsoleExtensions.PathPrefix;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Signet server {Version} is running at {Urls}; web console {ConsoleUrl}; CA fingerprint (SHA-256) {CaFingerprint} ({CaSubject}); CA key {CaKey}")]
    private static partial void LogRunning(ILogger logger, string urls, string consoleUrl, string caFingerprint, string caSubject, string caKey, string version);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning,
        Message = "Generated password of 'admin': {AdminPassword} (also in {PasswordFile}); change it after logging in")]
    private static partial void LogGeneratedPassword(ILogger logger, string adminPassword, string passwordFile);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "The initial password of 'admin' is in {PasswordFile} until it is changed")]
    private static partial void LogPasswordFile(ILogger logger, string passwordFile);
}
