using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Signet.Protocol.Wire;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>docs/lifecycle.md: renewal is two-phase and idempotent, so a lost response never locks a computer out.</summary>
public sealed class RenewalTests
{
    [Fact]
    public async Task LostRenewalResponseIsFetchedAgainLongAfterTheGraceWithoutAnInvitation()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var old = factory.SigningClient(device);
        using var newKey = TestKeys.NewP256();

        // The server commits the renewal; the agent never sees the answer.
        Assert.Equal(HttpStatusCode.OK, (await RenewAsync(old, newKey)).StatusCode);
        factory.Time.Advance(TimeSpan.FromMinutes(20));

        // The old certificate still works, and the check-in tells the agent to fetch what it missed.
        Assert.Contains(AgentActions.Renew, (await old.CheckInOkAsync()).Actions);
        var first = await RenewAsync(old, newKey);
        var again = await RenewAsync(old, newKey);
        var certificate = (await first.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate;
        Assert.Equal(certificate, (await again.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate);

        using var renewed = factory.SigningClient(device with { Certificate = DeviceClients.CertificateFromPem(certificate), Key = newKey });
        Assert.DoesNotContain(AgentActions.Renew, (await renewed.CheckInOkAsync()).Actions);
        await old.CheckInOkAsync(); // requests already signed with the old key still land during the grace
        factory.Time.Advance(TimeSpan.FromMinutes(11));
        var refused = await (await old.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        Assert.Equal("superseded", refused.GetProperty("certificateStatus").GetString());
        using var freshAdmin = await factory.AdminClientAsync();
        var computer = await freshAdmin.GetComputerAsync(device.ComputerId);
        Assert.Equal(DeviceClients.CertificateFromPem(certificate).SerialNumber, computer.GetProperty("certificate").GetProperty("serialNumber").GetString());
        var audit = await freshAdmin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var completed = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "certificate.renewal-completed");
        Assert.Contains($"oldSerial={device.Certificate.SerialNumber}", completed.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingCertificateIsNotOnTheCrlAndTheComputerShowsItsCurrentOne()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var old = factory.SigningClient(device);
        using var newKey = TestKeys.NewP256();
        var renewal = await RenewAsync(old, newKey);
        var pending = DeviceClients.CertificateFromPem((await renewal.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate);

        var computer = await admin.GetComputerAsync(device.ComputerId);
        Assert.Equal(device.Certificate.SerialNumber, computer.GetProperty("certificate").GetProperty("serialNumber").GetString());
        Assert.Equal("current", computer.GetProperty("certificate").GetProperty("status").GetString());
        var crl = System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.Load(
            await factory.CreateClient().GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative)), out _);
        Assert.False(crl.RemoveEntry(Convert.FromHexString(pending.SerialNumber)));
        Assert.False(crl.RemoveEntry(Convert.FromHexString(device.Certificate.SerialNumber)));
    }

    [Fact]
    public async Task ANewerRenewalWithAnotherKeyReplacesTheUnusedOne()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);
        var device = await factory.EnrollAsync(admin);
        using var old = factory.SigningClient(device);
        using var abandonedKey = TestKeys.NewP256();
        using var newKey = TestKeys.NewP256();
        var abandoned = DeviceClients.CertificateFromPem((await (await RenewAsync(old, abandonedKey)).Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate);
        var renewed = DeviceClients.CertificateFromPem((await (await RenewAsync(old, newKey)).Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate);

        using var viaAbandoned = factory.SigningClient(device with { Certificate = abandoned, Key = abandonedKey });
        await (await viaAbandoned.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        using var viaRenewed = factory.SigningClient(device with { Certificate = renewed, Key = newKey });
        await viaRenewed.CheckInOkAsync();
    }

    [Fact]
    public async Task RenewalWithTheSigningKeyIsRefused()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);

        await (await RenewAsync(client, device.Key)).AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ed448")]
    [InlineData("dsa")]
    [InlineData("rsa-exponent-3")]
    [InlineData("unknown-signature-oid")]
    public async Task KeysTheCaWillNotCertifyAreKeyNotAllowedOnEnrollAndRenew(string kind)
    {
        var csr = await UnusualCsrs.CreateAsync(kind);
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var anonymous = factory.CreateClient();

        await (await anonymous.PostEnrollAsync(invitation, csr, TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
        await (await anonymous.PostEnrollAsync(null, csr, TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
        var device = await factory.EnrollAsync(admin);
        using var signed = factory.SigningClient(device);
        await (await signed.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(csr), SignetJson.Options))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
    }

    private static Task<HttpResponseMessage> RenewAsync(HttpClient client, System.Security.Cryptography.AsymmetricAlgorithm key) =>
        client.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(key)), SignetJson.Options);
}

/// <summary>CSRs for keys and algorithms the CA refuses, made by the real openssl (and one hand-altered).</summary>
internal static class UnusualCsrs
{
    public static async Task<string> CreateAsync(string kind)
    {
        if (kind == "unknown-signature-oid")
        {
            return WithUnknownSignatureOid(TestKeys.Csr(TestKeys.NewP256()));
        }

        var folder = Directory.CreateTempSubdirectory("signet-csr-").FullName;
        try
        {
            var key = Path.Combine(folder, "key.pem");
            var csr = Path.Combine(folder, "csr.pem");
            string[] generate = kind switch
            {
                "ed25519" => ["genpkey", "-algorithm", "ed25519", "-out", key],
                "ed448" => ["genpkey", "-algorithm", "ed448", "-out", key],
                "rsa-exponent-3" => ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt", "rsa_keygen_pubexp:3", "-out", key],
                "dsa" => ["dsaparam", "-genkey", "-out", key, "2048"],
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            var (exit, output) = await OpenSsl.RunAsync(generate);
            Assert.True(exit == 0, output);
            (exit, output) = await OpenSsl.RunAsync("req", "-new", "-key", key, "-subj", "/CN=device", "-out", csr);
            Assert.True(exit == 0, output);
            return await File.ReadAllTextAsync(csr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Rewrites the request's signature algorithm (ecdsa-with-SHA256, the last occurrence of its OID) to an
    /// OID nobody assigned.</summary>
    private static string WithUnknownSignatureOid(string pem)
    {
        var der = System.Security.Cryptography.PemEncoding.Find(pem) is var fields ? Convert.FromBase64String(pem[fields.Base64Data]) : [];
        byte[] ecdsaSha256 = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];
        var at = der.AsSpan().LastIndexOf(ecdsaSha256);
        Assert.True(at > 0);
        der[at + ecdsaSha256.Length - 1] = 0x7F;
        return new string(System.Security.Cryptography.PemEncoding.Write("CERTIFICATE REQUEST", der));
    }
}
