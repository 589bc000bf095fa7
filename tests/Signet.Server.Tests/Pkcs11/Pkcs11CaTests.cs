using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.CertificateAuthority;
using Signet.Server.CertificateAuthority.Pkcs11;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;
using Signet.Server.Tests.Storage;

namespace Signet.Server.Tests.Pkcs11;

/// <summary><c>Signet:Ca:KeyStore=pkcs11</c> with a real SoftHSM2 token: everything the CA signs is signed in the token,
/// the database holds no CA private key, and a restart finds the same CA.</summary>
[Collection(Pkcs11InProcess.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pkcs11CaTests
{
    [SoftHsmTheory, SqliteData, PostgresData]
    public async Task TokenSignsDeviceTlsAndCrlCertificatesAndARestartKeepsTheCa(DatabaseKind kind)
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        using var work = new TempFolder();
        string caPem;
        TestDevice device;
        await using (var node = database.NewNode(token.CaSettings()))
        {
            using var admin = await node.AdminClientAsync();
            await admin.SetSecurityAsync(certificateBasedCommunication: true);
            caPem = await node.CreateClient().GetStringAsync("/agent/v1/ca");
            device = await node.EnrollAsync(admin);
            var ca = work.Write("ca.pem", caPem);

            // openssl, not .NET, judges the signatures the token made: the device certificate, the TLS certificate, the CRL.
            await AssertOpenSslAsync("verify", "-CAfile", ca, "-purpose", "sslclient", work.Write("device.pem", device.Certificate.ExportCertificatePem()));
            await using (var scope = node.Services.CreateAsyncScope())
            {
                var tls = await scope.ServiceProvider.GetRequiredService<SignetDbContext>().TlsCertificates.OrderByDescending(t => t.Id).FirstAsync();
                await AssertOpenSslAsync("verify", "-CAfile", ca, "-purpose", "sslserver",
                    work.Write("tls.pem", System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(tls.CertificateDer).ExportCertificatePem()));
            }

            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(new Uri($"/api/v1/computers/{device.ComputerId}/revoke-certificate", UriKind.Relative), null)).StatusCode);
            var crl = work.Write("crl.der", await node.CreateClient().GetByteArrayAsync("/pki/crl"));
            await AssertOpenSslAsync("crl", "-inform", "DER", "-in", crl, "-CAfile", ca, "-noout");
            device = await node.ReenrollAsync(admin, device);

            // Signed requests are verified with the device's public key: the token is not called for any of them.
            var signer = Assert.IsType<Pkcs11CaSigner>(node.Services.GetRequiredService<ICaSigner>());
            var signatures = signer.Signatures;
            using (var client = node.SigningClient(device))
            {
                for (var i = 0; i < 5; i++)
                {
                    await client.CheckInOkAsync();
                }
            }

            Assert.Equal(signatures, signer.Signatures);
            await AssertNoCaPrivateKeyAsync(node, database);
        }

        // One key, made in the token and flagged by the token itself as never leaving it.
        var listed = await token.ToolAsync("--list-objects", "--type", "privkey");
        Assert.Equal(1, listed.Output.Split("Private Key Object").Length - 1);
        Assert.Contains("sensitive, always sensitive, never extractable, local", listed.Output, StringComparison.Ordinal);

        await using var restarted = database.NewNode(token.CaSettings());
        Assert.Equal(caPem, await restarted.CreateClient().GetStringAsync("/agent/v1/ca"));
        using var again = restarted.SigningClient(device);
        await again.CheckInOkAsync();
    }

    [SoftHsmFact]
    public async Task MovingADatabaseKeyIntoTheTokenKeepsTheCaAndLeavesNoKeyBytesInTheFile()
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        using var work = new TempFolder();
        string caPem;
        TestDevice device;
        byte[] encryptedKey;
        await using (var node = database.NewNode())
        {
            using var admin = await node.AdminClientAsync();
            caPem = await node.CreateClient().GetStringAsync("/agent/v1/ca");
            device = await node.EnrollAsync(admin);
            encryptedKey = (await ReadCaRowAsync(database.DataDirectory)).EncryptedKey!;
        }

        // A server still configured for the database is refused once the key has moved, and the PIN is never an argument.
        var pinFile = work.Write("pin", SoftHsmToken.Pin + "\n");
        File.SetUnixFileMode(pinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(CaInitCommand.UsageError, await CaInitCommand.RunAsync(["ca", "init", "--pin", SoftHsmToken.Pin], output, error));
        var exit = await CaInitCommand.RunAsync(
            ["ca", "init", "--import-database-key", "--module", SoftHsmToken.Module, "--token", token.Label,
             $"--Signet:DataDirectory={database.DataDirectory}", $"--Signet:MasterKey={database.MasterKey}", $"--Signet:Ca:Pkcs11:PinFile={pinFile}"],
            output, error);
        Assert.True(exit == CaInitCommand.Succeeded, error.ToString());
        Assert.Contains($"pkcs11 token '{token.Label}'", output.ToString(), StringComparison.Ordinal);

        var row = await ReadCaRowAsync(database.DataDirectory);
        Assert.Equal("pkcs11", row.KeyStore);
        Assert.Null(row.EncryptedKey);
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(database.DataDirectory, "signet.db*"))
        {
            Assert.False(Contains(File.ReadAllBytes(file), encryptedKey.AsSpan(encryptedKey.Length - 32)), $"{file} still holds the encrypted CA key");
        }

        await using var node2 = database.NewNode(token.CaSettings());
        Assert.Equal(caPem, await node2.CreateClient().GetStringAsync("/agent/v1/ca"));
        using var client = node2.SigningClient(device);
        await client.CheckInOkAsync();
        using var admin2 = await node2.AdminClientAsync();
        var next = await node2.EnrollAsync(admin2);
        await AssertOpenSslAsync("verify", "-CAfile", work.Write("ca.pem", caPem), work.Write("next.pem", next.Certificate.ExportCertificatePem()));
    }

    [SoftHsmFact]
    public async Task AKeyPairTheOperatorMadeInTheTokenBecomesTheCaKey()
    {
        var token = await SoftHsmToken.CreateAsync();
        var made = await token.ToolAsync("--keypairgen", "--key-type", "EC:prime256v1", "--label", SoftHsmToken.KeyLabel, "--id", "0a0b");
        Assert.True(made.ExitCode == 0, made.Output);
        var listed = await token.ToolAsync("--list-objects", "--type", "pubkey");
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        using var work = new TempFolder();
        await using var node = database.NewNode(token.CaSettings());
        var caPem = await node.CreateClient().GetStringAsync("/agent/v1/ca");

        // The CA certificate certifies the operator's key (the same public point pkcs11-tool lists), and no second key was made.
        var (exitCode, text) = await OpenSsl.RunAsync("x509", "-in", work.Write("ca.pem", caPem), "-noout", "-pubkey");
        Assert.Equal(0, exitCode);
        Assert.Equal(1, (await token.ToolAsync("--list-objects", "--type", "privkey")).Output.Split("Private Key Object").Length - 1);
        using var fromCa = System.Security.Cryptography.ECDsa.Create();
        fromCa.ImportFromPem(text);
        var point = Convert.ToHexStringLower([0x04, .. fromCa.ExportParameters(false).Q.X!, .. fromCa.ExportParameters(false).Q.Y!]);
        Assert.Contains(point, listed.Output, StringComparison.OrdinalIgnoreCase);
        using var admin = await node.AdminClientAsync();
        var device = await node.EnrollAsync(admin);
        var verified = await OpenSsl.RunAsync("verify", "-CAfile", work.Write("ca2.pem", caPem), work.Write("device.pem", device.Certificate.ExportCertificatePem()));
        Assert.True(verified.ExitCode == 0, verified.Output);
    }

    [SoftHsmFact]
    public async Task AServerConfiguredForTheDatabaseRefusesACaWhoseKeyIsInAToken()
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using (var node = database.NewNode(token.CaSettings()))
        {
            _ = node.CreateClient();
        }

        await using var wrong = database.NewNode();
        var refused = Assert.ThrowsAny<Exception>(() => wrong.CreateClient());
        Assert.Contains("Signet:Ca:KeyStore=pkcs11", refused.ToString(), StringComparison.Ordinal);
    }

    [SoftHsmTheory, PostgresData]
    public async Task MigrateDataCarriesATokenHeldCaToPostgreSql(DatabaseKind kind)
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var source = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var target = await TestDatabase.CreateAsync(kind);
        string caPem;
        TestDevice device;
        await using (var node = source.NewNode(token.CaSettings()))
        {
            using var admin = await node.AdminClientAsync();
            caPem = await node.CreateClient().GetStringAsync("/agent/v1/ca");
            device = await node.EnrollAsync(admin);
        }

        SqliteConnection.ClearAllPools();
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await MigrateDataCommand.RunAsync(["migrate-data", "--to-postgres", target.ConnectionString!, $"--Signet:DataDirectory={source.DataDirectory}"],
            output, error);
        Assert.True(exit == MigrateDataCommand.Succeeded, error.ToString());
        Assert.Contains("Signet__Ca__KeyStore=pkcs11", output.ToString(), StringComparison.Ordinal);

        // As migrate-data tells the operator: the same token settings and the same master key (the TLS key is under it).
        var settings = token.CaSettings();
        settings["Signet:MasterKey"] = source.MasterKey;
        await using var node2 = target.NewNode(settings);
        Assert.Equal(caPem, await node2.CreateClient().GetStringAsync("/agent/v1/ca"));
        using var client = node2.SigningClient(device);
        await client.CheckInOkAsync();
        await AssertNoCaPrivateKeyAsync(node2, target);
    }

    private static async Task AssertNoCaPrivateKeyAsync(SignetFactory node, TestDatabase database)
    {
        if (database.Kind == DatabaseKind.Sqlite)
        {
            // Straight from the file, past the server's own model.
            var row = await ReadCaRowAsync(database.DataDirectory);
            Assert.Equal("pkcs11", row.KeyStore);
            Assert.Null(row.EncryptedKey);
            return;
        }

        await using var scope = node.Services.CreateAsyncScope();
        var ca = await scope.ServiceProvider.GetRequiredService<SignetDbContext>().CertificateAuthorities.AsNoTracking().SingleAsync();
        Assert.Equal("pkcs11", ca.KeyStore);
        Assert.Null(ca.EncryptedPrivateKey);
    }

    private static async Task<(string KeyStore, byte[]? EncryptedKey)> ReadCaRowAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "signet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT KeyStore, EncryptedPrivateKey FROM CertificateAuthorities";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : (byte[])reader[1]);
    }

    private static bool Contains(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static async Task AssertOpenSslAsync(params string[] arguments)
    {
        var (exitCode, output) = await OpenSsl.RunAsync(arguments);
        Assert.True(exitCode == 0, $"openssl {string.Join(' ', arguments)}: {output}");
    }
}
