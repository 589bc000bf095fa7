using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>First enrollments are signed outside the write transaction and written together (docs/lifecycle.md): many
/// at once still get one use of the invitation each, one computer, one current certificate and one audit event each;
/// past the last use nothing is written; a write that fails gives its use back and costs the others nothing.</summary>
public sealed class GroupCommitSuiteTests
{
    [Theory, SqliteData, PostgresData]
    public async Task ConcurrentFirstEnrollmentsEachGetTheirComputerCertificateUseAndAuditEvent(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 16);
        var udids = Enumerable.Range(0, 16).Select(_ => TestKeys.NewUdid()).ToList();

        var responses = await EnrollAllAsync([a.CreateClient(), b.CreateClient()], invitation, udids);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var issued = new List<EnrollResponse>();
        foreach (var response in responses)
        {
            issued.Add((await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!);
        }

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(0, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
        for (var i = 0; i < udids.Count; i++)
        {
            var computer = await db.Computers.SingleAsync(c => c.Udid == udids[i]);
            Assert.Equal(issued[i].ComputerId, computer.Id);
            var certificate = await db.IssuedCertificates.SingleAsync(c => c.ComputerId == computer.Id);
            Assert.Equal(CertificateStatus.Current, certificate.Status);
            using var pem = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(issued[i].Certificate);
            Assert.Equal(certificate.Der, pem.RawData);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.Enrolled && e.Subject == computer.Id));
        }

        // Enrolled computers are known at once on both nodes: a check-in on either is served.
        using var onB = b.CreateClient();
        onB.DefaultRequestHeaders.Add(SignetHeaders.SignetDevice, udids[0]);
        Assert.Equal(HttpStatusCode.OK, (await onB.PostAsJsonAsync("/agent/v1/checkin", new CheckInRequest("1.0"), SignetJson.Options)).StatusCode);
    }

    [Theory, SqliteData, PostgresData]
    public async Task EnrollmentsPastTheLastUseAreRefusedAndWriteNothing(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 5);
        var udids = Enumerable.Range(0, 14).Select(_ => TestKeys.NewUdid()).ToList();

        var responses = await EnrollAllAsync([a.CreateClient(), b.CreateClient()], invitation, udids);

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        }

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(5, await db.Computers.CountAsync());
        Assert.Equal(5, await db.IssuedCertificates.CountAsync());
        Assert.Equal(5, await db.AuditEvents.CountAsync(e => e.Action == AuditActions.Enrolled));
        Assert.Equal(0, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task AWriteThatFailsGivesItsUseBackAndTheOthersAreEnrolled(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 8);
        var udids = Enumerable.Range(0, 8).Select(_ => TestKeys.NewUdid()).ToList();
        var poisoned = udids[3];
        await using (var scope = node.Services.CreateAsyncScope())
        {
            // The database itself refuses one computer's row, as a full disk or a lost connection would refuse a write.
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            foreach (var statement in RefuseInsertOf(kind, poisoned))
            {
                await db.Database.ExecuteSqlRawAsync(statement);
            }
        }

        var responses = await EnrollAllAsync([node.CreateClient()], invitation, udids);

        for (var i = 0; i < udids.Count; i++)
        {
            Assert.Equal(i == 3 ? HttpStatusCode.InternalServerError : HttpStatusCode.Created, responses[i].StatusCode);
        }

        await responses[3].AssertProblemAsync(HttpStatusCode.InternalServerError, "server-error");
        await using (var scope = node.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            Assert.Equal(7, await db.Computers.CountAsync());
            Assert.False(await db.Computers.AnyAsync(c => c.Udid == poisoned));
            Assert.Equal(7, await db.IssuedCertificates.CountAsync());
            Assert.Equal(1, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
            await db.Database.ExecuteSqlRawAsync(kind == DatabaseKind.Sqlite ? "DROP TRIGGER refuse_one" : "DROP TRIGGER refuse_one ON \"Computers\"");
        }

        // The use given back is there for the computer's next try.
        using var client = node.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostEnrollAsync(invitation, TestKeys.Csr(TestKeys.NewP256()), poisoned)).StatusCode);
    }

    private static async Task<HttpResponseMessage[]> EnrollAllAsync(HttpClient[] clients, string invitation, List<string> udids) =>
        await Task.WhenAll(udids.Select((udid, i) =>
            Task.Run(() => clients[i % clients.Length].PostEnrollAsync(invitation, TestKeys.Csr(TestKeys.NewP256()), udid))));

    private static string[] RefuseInsertOf(DatabaseKind kind, string udid) => kind == DatabaseKind.Sqlite
        ? [$"CREATE TRIGGER refuse_one BEFORE INSERT ON Computers WHEN NEW.Udid = '{udid}' BEGIN SELECT RAISE(ABORT, 'refused'); END;"]
        :
        [
            "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql;",
            $"CREATE TRIGGER refuse_one BEFORE INSERT ON \"Computers\" FOR EACH ROW WHEN (NEW.\"Udid\" = '{udid}') EXECUTE FUNCTION refuse_one();",
        ];
}
