using Microsoft.AspNetCore.Hosting.Server.Features;
using Signet.Server.AdminApi;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.Hosting;

/// <summary>The one block printed at start: where to connect, which CA to pin, where the admin password is.</summary>
internal static class Banner
{
    public static void Print(WebApplication app, IServerAddressesFeature? addresses)
    {
        var signer = app.Services.GetRequiredService<ICaSigner>();
        var ca = signer.Certificate;
        var admin = app.Services.GetRequiredService<AdminAccountSetup>();
        var urls = addresses?.Addresses is { Count: > 0 } list ? string.Join(", ", list) : string.Join(", ", app.Urls);
        var fingerprint = CaFingerprint.Sha256Hex(ca);
        var password = admin.GeneratedPassword is { } generated
            ? $"generated: {generated} (also in {admin.GeneratedPasswordFile}; change it after logging in)"
            : admin.GeneratedPasswordFile is { } file
                ? $"in {file}"
                : "from Signet:Admin:InitialPassword";
        Console.Out.Write(
            $"""
            Signet server is running
              URL(s):            {urls}
              CA fingerprint:    {fingerprint} (SHA-256)
              CA subject:        {ca.Subject}
              CA key:            {signer.KeyLocation}
              admin password:    {password}

            """);
        Console.Out.Flush();
    }
}
