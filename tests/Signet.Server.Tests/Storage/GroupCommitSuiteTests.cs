using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.Lifecycle;
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

    [Theory, SqliteData, PostgresData]
    public async Task AFirstEnrollmentWrittenByTheGroupCommitReadsBackAsItsEntitiesHeldIt(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        var invitationId = await InvitationIdAsync(node);
        // Whole seconds: PostgreSQL keeps microseconds, and the lifecycle's instants are not what this test is about.
        var now = new DateTimeOffset(2026, 3, 1, 9, 30, 15, TimeSpan.Zero);
        var computer = new Computer
        {
            Id = Guid.NewGuid().ToString(), Udid = TestKeys.NewUdid(), SerialNumber = "C02XK0AAJGH5", Hostname = "finance-7",
            Model = "MacBookPro18,1", OsName = "macOS", OsVersion = "15.2", EnrolledAt = now, Version = Guid.NewGuid(),
        };
        var certificate = new IssuedCertificate
        {
            ComputerId = computer.Id, SerialNumber = "7F3A01", Thumbprint = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            PublicKeySha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), Subject = "CN=" + computer.Udid,
            Der = RandomNumberGenerator.GetBytes(600), NotBefore = now.AddMinutes(-5), NotAfter = now.AddDays(365), IssuedAt = now,
            Status = CertificateStatus.Current, KeyProtection = "pkcs11", KeyToken = "YubiKey 5", Version = Guid.NewGuid(),
        };
        var audit = new AuditEvent
        {
            At = now, Actor = "agent", Action = AuditActions.Enrolled, Subject = computer.Id,
            Details = $"udid={computer.Udid}; newSerial={certificate.SerialNumber}; invitation={invitationId}",
        };

        Assert.Equal(NewComputerResult.Committed, await CommitAsync(node, new NewComputer(invitationId, computer, certificate, audit)));

        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var stored = await db.IssuedCertificates.AsNoTracking().SingleAsync(c => c.ComputerId == computer.Id);
        Assert.Equal((now.AddMinutes(-5), now.AddDays(365), now), (stored.NotBefore, stored.NotAfter, stored.IssuedAt));
        Assert.Equal((CertificateStatus.Current, "pkcs11", certificate.Version), (stored.Status, stored.KeyProtection, stored.Version));
        Assert.NotEqual(0, certificate.Id);
        await AssertStoredAsWrittenAsync(db, computer, certificate, audit);
        Assert.Equal(0, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task TheGroupCommitStoresEveryMappedPropertyOfItsRows(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        var invitationId = await InvitationIdAsync(node, uses: 3);
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        // Every property the model maps gets a value other than its default, so a column the insert leaves out (one
        // added to an entity later included) reads back different. Queued together, they share a batch.
        var enrollments = Enumerable.Range(0, 3).Select(_ =>
        {
            var computer = Filled(db, new Computer { Id = "", Udid = "" });
            var certificate = Filled(db, new IssuedCertificate { ComputerId = "", SerialNumber = "", Thumbprint = "", Subject = "", Der = [] });
            certificate.ComputerId = computer.Id;
            return new NewComputer(invitationId, computer, certificate, Filled(db, new AuditEvent { Actor = "", Action = "" }));
        }).ToList();

        var results = await Task.WhenAll(enrollments.Select(e => CommitAsync(node, e)));

        Assert.All(results, r => Assert.Equal(NewComputerResult.Committed, r));
        foreach (var enrollment in enrollments)
        {
            await AssertStoredAsWrittenAsync(db, enrollment.Computer, enrollment.Certificate, enrollment.Audit);
        }
    }

    private static async Task<HttpResponseMessage[]> EnrollAllAsync(HttpClient[] clients, string invitation, List<string> udids) =>
        await Task.WhenAll(udids.Select((udid, i) =>
            Task.Run(() => clients[i % clients.Length].PostEnrollAsync(invitation, TestKeys.Csr(TestKeys.NewP256()), udid))));

    private static async Task<string> InvitationIdAsync(SignetFactory node, int uses = 1)
    {
        using var admin = await node.AdminClientAsync();
        await admin.CreateInvitationAsync(uses);
        await using var scope = node.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignetDbContext>().Invitations.Select(i => i.Id).SingleAsync();
    }

    private static Task<NewComputerResult> CommitAsync(SignetFactory node, NewComputer enrollment) =>
        node.Services.GetRequiredService<NewComputerCommitter>().CommitAsync(enrollment);

    /// <summary>Each row read back through EF (query filters off: a filled computer is a deleted one) holds every mapped
    /// property's value as the entity held it, the key the database made included.</summary>
    private static async Task AssertStoredAsWrittenAsync(SignetDbContext db, Computer computer, IssuedCertificate certificate, AuditEvent audit)
    {
        AssertSameValues(db, computer, await db.Computers.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == computer.Id));
        AssertSameValues(db, certificate, await db.IssuedCertificates.AsNoTracking().SingleAsync(c => c.Thumbprint == certificate.Thumbprint));
        AssertSameValues(db, audit, await db.AuditEvents.AsNoTracking().SingleAsync(e => e.Id == audit.Id));
    }

    private static void AssertSameValues<T>(SignetDbContext db, T written, T stored) where T : class
    {
        foreach (var property in db.Model.FindEntityType(typeof(T))!.GetProperties())
        {
            var getter = property.GetGetter();
            Assert.True(Equals(Comparable(getter.GetClrValue(written)), Comparable(getter.GetClrValue(stored))),
                $"{typeof(T).Name}.{property.Name}: wrote {Comparable(getter.GetClrValue(written))}, read {Comparable(getter.GetClrValue(stored))}");
        }
    }

    private static object? Comparable(object? value) => value is byte[] bytes ? Convert.ToHexString(bytes) : value;

    /// <summary>The entity with every mapped property the database does not generate set to a value of its type other
    /// than the default; a property of a type not known here fails the test, to be added.</summary>
    private static T Filled<T>(SignetDbContext db, T entity) where T : class
    {
        var at = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var n = 0;
        foreach (var property in db.Model.FindEntityType(typeof(T))!.GetProperties().Where(p => p.ValueGenerated == ValueGenerated.Never))
        {
            n++;
            var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            object value = type switch
            {
                _ when type == typeof(string) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
                _ when type == typeof(DateTimeOffset) => at.AddMinutes(n),
                _ when type == typeof(Guid) => Guid.NewGuid(),
                _ when type == typeof(byte[]) => RandomNumberGenerator.GetBytes(48),
                _ when type == typeof(int) => 40 + n,
                _ when type == typeof(long) => 40L + n,
                _ when type == typeof(bool) => true,
                _ when type.IsEnum => Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!,
                _ => throw new NotSupportedException($"{typeof(T).Name}.{property.Name}: no test value for {type.Name}."),
            };
            property.PropertyInfo!.SetValue(entity, value);
        }

        return entity;
    }

    private static string[] RefuseInsertOf(DatabaseKind kind, string udid) => kind == DatabaseKind.Sqlite
        ? [$"CREATE TRIGGER refuse_one BEFORE INSERT ON Computers WHEN NEW.Udid = '{udid}' BEGIN SELECT RAISE(ABORT, 'refused'); END;"]
        :
        [
            "CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql;",
            $"CREATE TRIGGER refuse_one BEFORE INSERT ON \"Computers\" FOR EACH ROW WHEN (NEW.\"Udid\" = '{udid}') EXECUTE FUNCTION refuse_one();",
        ];
}
