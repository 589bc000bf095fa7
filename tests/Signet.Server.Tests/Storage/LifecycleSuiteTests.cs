using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>The certificate lifecycle's storage rules (docs/lifecycle.md) on every configured database, with two nodes
/// over one database where the rule is about nodes.</summary>
public sealed class LifecycleSuiteTests
{
    [Theory, SqliteData, PostgresData]
    public async Task TakeoverIsHeldAndTheApprovalOnOneNodeIsPolledOnTheOther(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await a.EnrollAsync(admin);
        using var real = a.SigningClient(device);
        await real.CheckInOkAsync();
        using var newcomer = b.CreateClient();
        using var key = TestKeys.NewP256();

        var requestId = await newcomer.HoldAsync(await admin.CreateInvitationAsync(), key, device.Udid);
        await real.CheckInOkAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await newcomer.PollAsync(requestId)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.DecideAsync(requestId, "approve")).StatusCode);
        var poll = await newcomer.PollAsync(requestId);
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var body = (await poll.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        Assert.Equal(device.ComputerId, body.ComputerId);
        using var successor = b.SigningClient(device with { Certificate = DeviceClients.CertificateFromPem(body.Certificate), Key = key });
        await successor.CheckInOkAsync();
        await (await real.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
    }

    [Theory, SqliteData, PostgresData]
    public async Task EightConcurrentApprovalsOfOneRequestIssueOneCertificate(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var adminA = await a.AdminClientAsync();
        using var adminB = await b.AdminClientAsync();
        var device = await a.EnrollAsync(adminA);
        using var client = a.CreateClient();
        using var key = TestKeys.NewP256();
        var requestId = await client.HoldAsync(await adminA.CreateInvitationAsync(), key, device.Udid);
        var admins = new[] { adminA, adminB };

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => admins[i % 2].DecideAsync(requestId, "approve"))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "validation-failed");
        }

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(2, await db.IssuedCertificates.CountAsync(c => c.ComputerId == device.ComputerId));
        Assert.Equal(1, await db.IssuedCertificates.CountAsync(c => c.ComputerId == device.ComputerId && c.Status == CertificateStatus.Current));
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "enrollment.approved"));
    }

    [Theory, SqliteData, PostgresData]
    public async Task LostRenewalResponseIsRecoveredAfterARestartWithTheSameCertificate(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        TestDevice device;
        string lost;
        using var newKey = TestKeys.NewP256();
        await using (var first = database.NewNode())
        {
            using var admin = await first.AdminClientAsync();
            await admin.SetSecurityAsync(certificateBasedCommunication: true);
            device = await first.EnrollAsync(admin);
            using var old = first.SigningClient(device);
            var renewal = await old.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(newKey)), SignetJson.Options);
            lost = (await renewal.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate;
        }

        database.Time.Advance(TimeSpan.FromHours(1));
        await using var second = database.NewNode();
        using var again = second.SigningClient(device);
        Assert.Contains(AgentActions.Renew, (await again.CheckInOkAsync()).Actions);
        var retry = await again.PostAsJsonAsync("/agent/v1/renew", new RenewRequest(TestKeys.Csr(newKey)), SignetJson.Options);
        Assert.Equal(lost, (await retry.Content.ReadFromJsonAsync<RenewResponse>(SignetJson.Options))!.Certificate);
        using var renewed = second.SigningClient(device with { Certificate = DeviceClients.CertificateFromPem(lost), Key = newKey });
        await renewed.CheckInOkAsync();

        await using var scope = second.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(2, await db.IssuedCertificates.CountAsync(c => c.ComputerId == device.ComputerId));
        var current = await db.IssuedCertificates.SingleAsync(c => c.ComputerId == device.ComputerId && c.Status == CertificateStatus.Current);
        Assert.Equal(DeviceClients.CertificateFromPem(lost).SerialNumber, current.SerialNumber);
    }

    [Theory, SqliteData, PostgresData]
    public async Task DeletedComputerStaysOnTheCrlAndItsUdidEnrollsAgain(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        var device = await node.EnrollAsync(admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/computers/{device.ComputerId}")).StatusCode);

        var again = await node.EnrollAsync(admin, udid: device.Udid);

        Assert.NotEqual(device.ComputerId, again.ComputerId);
        var crl = System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.Load(
            await node.CreateClient().GetByteArrayAsync("/pki/crl"), out _);
        Assert.True(crl.RemoveEntry(Convert.FromHexString(device.Certificate.SerialNumber)));
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(2, await db.Computers.IgnoreQueryFilters().CountAsync(c => c.Udid == device.Udid));
        Assert.Equal(1, await db.Computers.CountAsync(c => c.Udid == device.Udid));
    }

    [Theory, SqliteData, PostgresData]
    public async Task RevocationsOnTwoNodesAtOnceEachPublishTheirOwnCrlNumber(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var adminA = await a.AdminClientAsync();
        using var adminB = await b.AdminClientAsync();
        var devices = new List<TestDevice>();
        for (var i = 0; i < 6; i++)
        {
            devices.Add(await a.EnrollAsync(adminA));
        }

        var revocations = devices.Select((d, i) => (i % 2 == 0 ? adminA : adminB).PostAsync($"/api/v1/computers/{d.ComputerId}/revoke-certificate", null));
        foreach (var revoked in await Task.WhenAll(revocations))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var crl = System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.Load(
            await b.CreateClient().GetByteArrayAsync("/pki/crl"), out var number);
        Assert.All(devices, d => Assert.True(crl.RemoveEntry(Convert.FromHexString(d.Certificate.SerialNumber))));
        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal((long)number, await db.Crls.MaxAsync(c => c.Number));
    }
}
