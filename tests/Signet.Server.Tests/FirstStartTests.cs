using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.CertificateAuthority;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class FirstStartTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task FirstStartCreatesCaMasterKeyAndAdminPasswordFile()
    {
        await using var factory = new SignetFactory(settings: new() { ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P384" });
        _ = factory.Server;

        var masterKey = Path.Combine(factory.DataDirectory, "master.key");
        var passwordFile = Path.Combine(factory.DataDirectory, "initial-admin-password");
        Assert.True(File.Exists(Path.Combine(factory.DataDirectory, "signet.db")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(masterKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));

        var ca = factory.Services.GetRequiredService<ICaSigner>().Certificate;
        Assert.StartsWith("CN=Signet Device CA ", ca.Subject, StringComparison.Ordinal);
        Assert.Contains("O=Signet", ca.Subject, StringComparison.Ordinal);
        Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(384, ca.GetECDsaPublicKey()!.KeySize);
        Assert.InRange((ca.NotAfter - ca.NotBefore).TotalDays, 3650, 3655);

        // The generated password works, and the private key is nowhere in plain form.
        var password = (await File.ReadAllTextAsync(passwordFile)).Trim();
        using var client = factory.CreateClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password });
        login.EnsureSuccessStatusCode();
        var database = await File.ReadAllBytesAsync(Path.Combine(factory.DataDirectory, "signet.db"));
        Assert.DoesNotContain("PRIVATE KEY", System.Text.Encoding.ASCII.GetString(database), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredMasterKeyIsUsedAndNoKeyFileIsWritten()
    {
        var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        await using var factory = new SignetFactory(settings: new()
        {
            ["Signet:MasterKey"] = key,
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
        });
        _ = factory.Server;
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "master.key")));
        Assert.False(File.Exists(Path.Combine(factory.DataDirectory, "initial-admin-password")));
    }

    [Fact]
    public async Task MisconfigurationFailsFastWithAMessage()
    {
        await using var factory = new SignetFactory(settings: new() { ["Signet:Ca:KeyAlgorithm"] = "DSA-1024" });
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("Signet:Ca:KeyAlgorithm", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoConcurrentFirstStartsShareOneCa()
    {
        var directory = Directory.CreateTempSubdirectory("signet-server-tests-").FullName;
        try
        {
            await using var a = new SignetFactory(directory, settings: SignetFactory.RsaCaSettings());
            await using var b = new SignetFactory(directory, settings: SignetFactory.RsaCaSettings());
            await Task.WhenAll(Task.Run(() => a.Server), Task.Run(() => b.Server));
            using var clientA = a.CreateClient();
            using var clientB = b.CreateClient();
            var caA = await clientA.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative));
            var caB = await clientB.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative));
            Assert.Equal(caA, caB);
        }
        finally
        {
            TempFolder.TryDelete(directory);
        }
    }

    [Fact]
    public async Task WrongMasterKeyRefusesToStart()
    {
        var directory = Directory.CreateTempSubdirectory("signet-server-tests-").FullName;
        try
        {
            await using (var first = new SignetFactory(directory))
            {
                _ = first.Server;
            }

            await File.WriteAllTextAsync(Path.Combine(directory, "master.key"),
                Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
            await using var second = new SignetFactory(directory);
            var refused = Assert.Throws<Signet.Server.Hosting.StartRefusedException>(() => second.Server);
            Assert.IsType<System.Security.Cryptography.CryptographicException>(refused.InnerException, exactMatch: false);
            Assert.Contains("master key", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempFolder.TryDelete(directory);
        }
    }
}

public sealed class TlsCertificateTests
{
    [Fact]
    public async Task TlsCertificateCoversLoopbackAndConfiguredNamesAndIsReusedAcrossRestarts()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
            ["Signet:Tls:HostNames:0"] = "signet.example.com",
        };
        var factory = new SignetFactory(settings: settings) { KeepDataDirectory = true };
        string thumbprint;
        try
        {
            var tls = factory.Services.GetRequiredService<Signet.Server.Tls.TlsCertificateProvider>().Current!;
            Assert.True(tls.HasPrivateKey);
            var san = tls.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(["localhost", "signet.example.com"], san.EnumerateDnsNames().Order().ToArray());
            Assert.Equal(["127.0.0.1", "::1"], san.EnumerateIPAddresses().Select(a => a.ToString()).Order().ToArray());
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(factory.Services.GetRequiredService<ICaSigner>().Certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(chain.Build(tls));
            thumbprint = tls.Thumbprint;
        }
        finally
        {
            await factory.DisposeAsync();
        }

        try
        {
            await using (var restarted = new SignetFactory(factory.DataDirectory, factory.Time, settings))
            {
                Assert.Equal(thumbprint, restarted.Services.GetRequiredService<Signet.Server.Tls.TlsCertificateProvider>().Current!.Thumbprint);
            }

            factory.Time.Advance(TimeSpan.FromDays(380));
            await using var later = new SignetFactory(factory.DataDirectory, factory.Time, settings);
            Assert.NotEqual(thumbprint, later.Services.GetRequiredService<Signet.Server.Tls.TlsCertificateProvider>().Current!.Thumbprint);
        }
        finally
        {
            TempFolder.TryDelete(factory.DataDirectory);
        }
    }
}
