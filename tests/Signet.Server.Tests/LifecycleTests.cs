using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task InvitationEnrollCheckInInventoryRenewRevoke()
    {
        await using var factory = new SignetFactory(settings: SignetFactory.RsaCaSettings());
        using var admin = await factory.AdminClientAsync();
        await admin.SetSecurityAsync(true);

        // Enroll with a CSR made the way the agent makes it.
        var invitation = await admin.CreateInvitationAsync();
        using var key = TestKeys.NewP256();
        var udid = TestKeys.NewUdid();
        using var anonymous = factory.CreateClient();
        var enrollment = await anonymous.PostEnrollAsync(invitation, TestKeys.Csr(key), udid);
        Assert.Equal(HttpStatusCode.Created, enrollment.StatusCode);
        var enrolled = (await enrollment.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        var device = new TestDevice(enrolled.ComputerId, udid, DeviceClients.CertificateFromPem(enrolled.Certificate), key, enrolled);

        // Signed check-in asks for inventory first.
        using var client = factory.SigningClient(device);
        var checkIn = await client.CheckInOkAsync();
        Assert.Equal(device.ComputerId, checkIn.ComputerId);
        Assert.Equal([AgentActions.Inventory], checkIn.Actions);

        var inventory = new InventoryDocument
        {
            CollectedAt = factory.Time.GetUtcNow(),
            OperatingSystem = new OperatingSystemInfo("macOS", "15.1", "24.1.0", "arm64"),
            Applications = [new ApplicationInfo("Safari", "18.1", "/Applications/Safari.app")],
        };
        var submitted = await client.PostAsJsonAsync("/agent/v1/inventory", inventory, SignetJson.Options);
        Assert.Equal(HttpStatusCode.NoContent, submitted.StatusCode);
        Assert.Empty((await client.CheckInOkAsync()).Actions);

        // With a third of the lifetime left the server asks for renewal.
        factory.Time.Advance(TimeSpan.FromDays(250));
        Assert.Contains(AgentActions.Renew, (await client.CheckInOkAsync()).Actions);

        using var newKey = TestKeys.NewP256();
        var renewal = await client.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(newKey)), SignetJson.Options);
        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        var renewed = (await renewal.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!;
        var renewedDevice = device with { Certificate = DeviceClients.CertificateFromPem(renewed.Certificate), Key = newKey };
        Assert.Equal(newKey.ExportSubjectPublicKeyInfo(), renewedDevice.Certificate.PublicKey.ExportSubjectPublicKeyInfo());
        using var renewedClient = factory.SigningClient(renewedDevice);
        var afterRenewal = await renewedClient.CheckInOkAsync();
        Assert.DoesNotContain(AgentActions.Renew, afterRenewal.Actions);

        // Revocation: refused at once, audited, on the CRL.
        using var freshAdmin = await factory.AdminClientAsync();
        var revoke = await freshAdmin.PostAsync(new Uri($"/api/v1/computers/{device.ComputerId}/revoke-certificate", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        await (await renewedClient.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");

        var computer = await freshAdmin.GetComputerAsync(device.ComputerId);
        Assert.Equal("revoked", computer.GetProperty("certificate").GetProperty("status").GetString());
        Assert.Equal("certificate-revoked", computer.GetProperty("lastSignature").GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.String, computer.GetProperty("lastInventoryAt").ValueKind);

        var crl = await anonymous.GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative));
        var (exit, text) = await EnrollmentTests.CrlTextAsync(crl);
        Assert.True(exit == 0, text);
        var serials = text.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Contains(renewedDevice.Certificate.SerialNumber, serials, StringComparison.Ordinal);
        Assert.Contains(device.Certificate.SerialNumber, serials, StringComparison.Ordinal); // superseded by the renewal

        var audit = await freshAdmin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("computer.enrolled", actions);
        Assert.Contains("certificate.renewed", actions);
        Assert.Contains("certificate.revoked", actions);
        Assert.Contains("settings.security.changed", actions);
        Assert.Contains("admin.login.succeeded", actions);
    }

    [Fact]
    public async Task RenewalWithTheSameKeyIsRefused()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        var response = await client.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(device.Key)), SignetJson.Options);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
    }

    [Fact]
    public async Task OnlyTheLastTenInventoriesAreKept()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        for (var i = 0; i < 12; i++)
        {
            factory.Time.Advance(TimeSpan.FromSeconds(1));
            var response = await client.PostAsJsonAsync("/agent/v1/inventory",
                new InventoryDocument { CollectedAt = factory.Time.GetUtcNow(), Hardware = new HardwareInfo("m", "s" + i, null, null, null) },
                SignetJson.Options);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var kept = await db.InventorySubmissions.Where(s => s.ComputerId == device.ComputerId).Select(s => s.Document).ToListAsync();
        Assert.Equal(10, kept.Count);
        Assert.Contains(kept, d => d.Contains("\"s11\"", StringComparison.Ordinal));
        Assert.DoesNotContain(kept, d => d.Contains("\"s0\"", StringComparison.Ordinal) || d.Contains("\"s1\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvalidInventoryIsAClearProblem()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var device = await factory.EnrollAsync(admin);
        using var client = factory.SigningClient(device);
        using var content = new StringContent("{\"operatingSystem\": {\"name\": \"macOS\"}}", System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync(new Uri("/agent/v1/inventory", UriKind.Relative), content))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task RestartBetweenEnrollmentAndCheckInKeepsEverything()
    {
        var factory = new SignetFactory(settings: SignetFactory.RsaCaSettings()) { KeepDataDirectory = true };
        var dataDirectory = factory.DataDirectory;
        TestDevice device;
        string caPem;
        try
        {
            using var admin = await factory.AdminClientAsync();
            await admin.SetSecurityAsync(true);
            device = await factory.EnrollAsync(admin, TestKeys.Rsa(0));
            using var anonymous = factory.CreateClient();
            caPem = await anonymous.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative));
        }
        finally
        {
            await factory.DisposeAsync();
        }

        try
        {
            await using var restarted = new SignetFactory(dataDirectory, factory.Time, SignetFactory.RsaCaSettings());
            using var anonymous = restarted.CreateClient();
            Assert.Equal(caPem, await anonymous.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative)));
            using var client = restarted.SigningClient(device);
            Assert.Equal(device.ComputerId, (await client.CheckInOkAsync()).ComputerId);
            using var admin = await restarted.AdminClientAsync();
            var settings = await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/security");
            Assert.True(settings.GetProperty("certificateBasedCommunication").GetBoolean());
        }
        finally
        {
            TempFolder.TryDelete(dataDirectory);
        }
    }
}

public sealed class CrlTests
{
    [Fact]
    public async Task CrlIsRepublishedWhenItNearsItsNextUpdate()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var first = await client.GetAsync(new Uri("/pki/crl", UriKind.Relative));
        Assert.Equal("application/pkix-crl", first.Content.Headers.ContentType?.MediaType);
        var (_, before) = await EnrollmentTests.CrlTextAsync(await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(before, (await EnrollmentTests.CrlTextAsync(await client.GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative)))).Item2);

        factory.Time.Advance(TimeSpan.FromDays(6.5));
        var (exit, after) = await EnrollmentTests.CrlTextAsync(await client.GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative)));
        Assert.Equal(0, exit);
        Assert.Matches(@"CRL Number:\s*\n\s*1\b", before);
        Assert.Matches(@"CRL Number:\s*\n\s*2\b", after);
    }

    [Fact]
    public async Task CrlIsRepublishedInTheBackgroundBeforeAnyoneAsks()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        await client.GetAsync(new Uri("/healthz/live", UriKind.Relative)); // starts the host
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), async () => await LatestCrlNumberAsync(factory) == 1));

        factory.Time.Advance(TimeSpan.FromDays(6.5));

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), async () => await LatestCrlNumberAsync(factory) == 2));
        var (_, served) = await EnrollmentTests.CrlTextAsync(await client.GetByteArrayAsync(new Uri("/pki/crl", UriKind.Relative)));
        Assert.Matches(@"CRL Number:\s*\n\s*2\b", served);
    }

    private static async Task<long?> LatestCrlNumberAsync(SignetFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Signet.Server.Data.SignetDbContext>().Crls.MaxAsync(c => (long?)c.Number);
    }
}
