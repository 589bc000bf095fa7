using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol.Wire;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>How each certificate's key is held, as the agent declares it (docs/hardware-keys.md): recorded per certificate
/// at enrollment, approval and renewal, shown by the API, and the Security setting that refuses declared file keys.</summary>
public sealed class KeyProtectionSuiteTests
{
    private static readonly KeyProtection SoftHsm = new(KeyProtection.Pkcs11, "SoftHSM v2");

    [Theory, SqliteData, PostgresData]
    public async Task TheDeclaredKeyProtectionIsRecordedPerCertificateAndShownByTheApi(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        using var client = node.CreateClient();
        using var key = TestKeys.NewP256();
        var udid = TestKeys.NewUdid();

        var enrolled = await client.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(key), udid, SoftHsm);

        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var body = (await enrolled.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        var protection = (await admin.GetComputerAsync(body.ComputerId)).GetProperty("certificate").GetProperty("keyProtection");
        Assert.Equal("pkcs11", protection.GetProperty("kind").GetString());
        Assert.Equal("SoftHSM v2", protection.GetProperty("token").GetString());

        // A renewal declares its new key; the certificate it gets records that, the old one keeps its own.
        var device = new TestDevice(body.ComputerId, udid, DeviceClients.CertificateFromPem(body.Certificate), key, body);
        using var old = node.SigningClient(device);
        using var newKey = TestKeys.NewP256();
        var renewal = await old.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(newKey), new KeyProtection(KeyProtection.File)), SignetJson.Options);
        Assert.Equal(HttpStatusCode.OK, renewal.StatusCode);
        var renewed = (await renewal.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!;
        using var signer = node.SigningClient(device with { Certificate = DeviceClients.CertificateFromPem(renewed.Certificate), Key = newKey });
        await signer.CheckInOkAsync();
        Assert.Equal("file", (await admin.GetComputerAsync(body.ComputerId)).GetProperty("certificate").GetProperty("keyProtection").GetProperty("kind").GetString());

        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var rows = await db.IssuedCertificates.Where(c => c.ComputerId == body.ComputerId).OrderBy(c => c.Id).ToListAsync();
        Assert.Equal([("pkcs11", "SoftHSM v2"), ("file", null)], rows.Select(c => (c.KeyProtection, c.KeyToken)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task RequiringHardwareKeysRefusesDeclaredFileKeysAndUndeclaredOnesButNotTokenKeys(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        using var client = node.CreateClient();
        Assert.False((await SecurityAsync(admin)).GetProperty("requireHardwareKeys").GetBoolean());

        var put = await admin.PutAsJsonAsync("/api/v1/settings/security", new { requireHardwareKeys = true });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True((await SecurityAsync(admin)).GetProperty("requireHardwareKeys").GetBoolean());
        var invitation = await admin.CreateInvitationAsync(uses: 3);

        using var fileKey = TestKeys.NewP256();
        var file = await client.PostEnrollAsync(invitation, TestKeys.Csr(fileKey), TestKeys.NewUdid(), new KeyProtection(KeyProtection.File));
        var problem = await file.AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");
        Assert.Contains("--keychain-backend pkcs11", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        using var undeclaredKey = TestKeys.NewP256();
        await (await client.PostEnrollAsync(invitation, TestKeys.Csr(undeclaredKey), TestKeys.NewUdid())).AssertProblemAsync(HttpStatusCode.BadRequest, "key-not-allowed");

        using var tokenKey = TestKeys.NewP256();
        var token = await client.PostEnrollAsync(invitation, TestKeys.Csr(tokenKey), TestKeys.NewUdid(), SoftHsm);
        Assert.Equal(HttpStatusCode.Created, token.StatusCode);

        // The refusals used no invitation and left nothing behind.
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(1, await db.Computers.CountAsync());
        Assert.Equal(2, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task AHeldEnrollmentKeepsItsDeclarationForTheCertificateItsApprovalIssues(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        var device = await node.EnrollAsync(admin);
        using var client = node.CreateClient();
        using var key = TestKeys.NewP256();
        var held = await client.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(key), device.Udid, SoftHsm);
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        var requestId = (await held.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!.RequestId!;

        Assert.Equal(HttpStatusCode.OK, (await admin.DecideAsync(requestId, "approve")).StatusCode);

        var protection = (await admin.GetComputerAsync(device.ComputerId)).GetProperty("certificate").GetProperty("keyProtection");
        Assert.Equal("pkcs11", protection.GetProperty("kind").GetString());
        Assert.Equal("SoftHSM v2", protection.GetProperty("token").GetString());
    }

    [Theory, SqliteData]
    public async Task AnUnknownKeyProtectionKindIsAValidationFailure(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        using var client = node.CreateClient();
        using var key = TestKeys.NewP256();

        var response = await client.PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(key), TestKeys.NewUdid(), new KeyProtection("tpm"));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        Assert.Contains("device.keyProtection.kind", problem.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> SecurityAsync(HttpClient admin) =>
        await (await admin.GetAsync("/api/v1/settings/security")).Content.ReadFromJsonAsync<JsonElement>();
}
