using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Signet.Protocol.Wire;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class EnrollmentTests
{
    [Fact]
    public async Task EnrollmentIssuesADeviceCertificateForTheCsrKey()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        using var key = TestKeys.NewP256();
        var enrolled = await factory.EnrollAsync(admin, key);

        var certificate = enrolled.Certificate;
        Assert.Equal("CN=" + enrolled.Udid, certificate.Subject);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(),
            oid => oid.Value == "1.3.6.1.5.5.7.3.2");
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("urn:signet:computer:" + enrolled.ComputerId, Encoding.ASCII.GetString(san.RawData), StringComparison.Ordinal);
        Assert.True(certificate.GetSerialNumber().Length >= 8);
        Assert.True((certificate.GetSerialNumber()[^1] & 0x80) == 0, "serial must be positive");
        Assert.Single(enrolled.Response.CaCertificates);
        Assert.Equal(900, enrolled.Response.CheckInIntervalSeconds);
        var now = factory.Time.GetUtcNow();
        Assert.InRange(certificate.NotAfter.ToUniversalTime(), now.AddDays(364).UtcDateTime, now.AddDays(366).UtcDateTime);
    }

    [Fact]
    public async Task IssuedCertificateVerifiesWithOpenSslAgainstTheCa()
    {
        await using var factory = new SignetFactory(settings: SignetFactory.RsaCaSettings());
        using var admin = await factory.AdminClientAsync();
        var enrolled = await factory.EnrollAsync(admin, TestKeys.Rsa(0));
        using var client = factory.CreateClient();
        var caPem = await client.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative));

        var folder = Directory.CreateTempSubdirectory("signet-openssl-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "ca.pem"), caPem);
            await File.WriteAllTextAsync(Path.Combine(folder, "dev.pem"), enrolled.Response.Certificate);
            var (exit, output) = await OpenSsl.RunAsync("verify", "-purpose", "sslclient", "-CAfile",
                Path.Combine(folder, "ca.pem"), Path.Combine(folder, "dev.pem"));
            Assert.True(exit == 0, output);
            Assert.Contains("OK", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public async Task ConcurrentEnrollmentsCannotShareAOneUseInvitation()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 1);
        var keys = Enumerable.Range(0, 8).Select(_ => TestKeys.NewP256()).ToList();

        var responses = await Task.WhenAll(keys.Select(async key =>
        {
            using var client = factory.CreateClient();
            return await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid());
        }));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        }

        var computers = await admin.GetFromJsonAsync<JsonElement>("/api/v1/computers");
        Assert.Equal(1, computers.GetArrayLength());
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }

    [Fact]
    public async Task InvitationWithSeveralUsesEnrollsThatManyComputers()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 2);
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        Assert.Equal(HttpStatusCode.Created, (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid())).StatusCode);
        await (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid()))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
    }

    [Fact]
    public async Task ExpiredInvitationIsRefused()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        factory.Time.Advance(TimeSpan.FromDays(8));
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        await (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid()))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
    }

    [Fact]
    public async Task RefusedCsrDoesNotUseUpTheInvitation()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        using var weak = RSA.Create(1024);
        await (await client.PostEnrollAsync(invitation, TestKeys.Csr(weak), TestKeys.NewUdid()))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");

        using var key = TestKeys.NewP256();
        Assert.Equal(HttpStatusCode.Created, (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), TestKeys.NewUdid())).StatusCode);
    }

    public static TheoryData<string, string> BadCsrs()
    {
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var good = TestKeys.Csr(TestKeys.Rsa(1));
        var lines = good.Split('\n');
        // Flip a character in the middle of the base64 body: the signature (or the structure) no longer holds.
        var middle = lines.Length / 2;
        var chars = lines[middle].ToCharArray();
        chars[10] = chars[10] == 'A' ? 'B' : 'A';
        lines[middle] = new string(chars);
        return new TheoryData<string, string>
        {
            { string.Join('\n', lines), "csr-invalid" },
            { "-----BEGIN CERTIFICATE REQUEST-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE REQUEST-----", "csr-invalid" },
            { "not a csr at all", "csr-invalid" },
            { "", "csr-invalid" },
            { TestKeys.Csr(p521), "key-not-allowed" },
        };
    }

    [Theory]
    [MemberData(nameof(BadCsrs))]
    public async Task BadCsrsAreRefusedWithTheirCode(string csr, string code)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        await (await client.PostEnrollAsync(invitation, csr, TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task RsaAndEcdsaP384KeysAreAccepted()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        await factory.EnrollAsync(admin, p384);
        await factory.EnrollAsync(admin, TestKeys.Rsa(2));
    }

    [Theory]
    [InlineData("{\"invitation\": ")]
    [InlineData("[1,2,3]")]
    [InlineData("null")]
    [InlineData("{\"invitation\": 5, \"csr\": {}}")]
    public async Task MalformedJsonIsAClearProblem(string body)
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await (await client.PostAsync(new Uri("/agent/v1/enroll", UriKind.Relative), content))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task OversizeBodyIsRefusedWith413()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        using var content = new StringContent("{\"invitation\":\"" + new string('a', 200_000) + "\"}", Encoding.UTF8, "application/json");
        await (await client.PostAsync(new Uri("/agent/v1/enroll", UriKind.Relative), content))
            .AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "validation-failed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("ÜNICODE")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task InvalidUdidIsRefused(string udid)
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var problem = await (await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("device.udid", out _));
    }

    [Fact]
    public async Task DeviceFieldWithControlCharactersIsRefused()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        using var key = TestKeys.NewP256();
        var response = await client.PostAsJsonAsync("/agent/v1/enroll", new EnrollRequest(invitation, TestKeys.Csr(key),
            new DeviceInfo(TestKeys.NewUdid(), "C02\u0007", null, null, null, null)), SignetJson.Options);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task ReEnrollmentKeepsTheComputerAndSupersedesItsCertificate()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var first = await factory.EnrollAsync(admin);
        var second = await factory.ReenrollAsync(admin, first);

        Assert.Equal(first.ComputerId, second.ComputerId);
        var computer = await admin.GetComputerAsync(first.ComputerId);
        Assert.Equal(second.Certificate.SerialNumber, computer.GetProperty("certificate").GetProperty("serialNumber").GetString());
        Assert.Equal("current", computer.GetProperty("certificate").GetProperty("status").GetString());

        // The superseded certificate is listed on the CRL.
        using var client = factory.CreateClient();
        var crl = await client.GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative));
        var (exit, text) = await CrlTextAsync(crl);
        Assert.Equal(0, exit);
        Assert.Contains(first.Certificate.SerialNumber, text.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparison.Ordinal);
    }

    internal static async Task<(int, string)> CrlTextAsync(byte[] der)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, der);
            return await OpenSsl.RunAsync("crl", "-inform", "DER", "-noout", "-text", "-in", file);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
