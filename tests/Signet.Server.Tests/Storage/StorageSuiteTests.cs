using System.Text.Json;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>The storage contract, run against every configured database (SQLite always, PostgreSQL when
/// SIGNET_TEST_POSTGRES is set). "Nodes" are server hosts over the same database and master key.</summary>
public sealed class StorageSuiteTests
{
    [Theory, SqliteData, PostgresData]
    public async Task ConcurrentFirstStartsCreateOneCaAndOneAdmin(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        await Task.WhenAll(Task.Run(() => a.CreateClient()), Task.Run(() => b.CreateClient()));

        var caA = await a.CreateClient().GetStringAsync("/agent/v1/ca");
        var caB = await b.CreateClient().GetStringAsync("/agent/v1/ca");
        Assert.Equal(caA, caB);
        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(1, await db.CertificateAuthorities.CountAsync());
        Assert.Equal(1, await db.AdminUsers.CountAsync());
        // Both nodes can log in with the one admin account and see each other's tokens' effects.
        using var adminB = await b.AdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await adminB.GetAsync("/api/v1/computers")).StatusCode);
    }

    [Theory, SqliteData, PostgresData]
    public async Task EnrollCheckInRenewRevokeSurviveARestart(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        TestDevice device;
        string ca;
        await using (var first = database.NewNode())
        {
            using var admin = await first.AdminClientAsync();
            await admin.SetSecurityAsync(certificateBasedCommunication: true);
            device = await first.EnrollAsync(admin);
            ca = await first.CreateClient().GetStringAsync("/agent/v1/ca");
            using var client = first.SigningClient(device);
            await client.CheckInOkAsync();
        }

        await using var second = database.NewNode();
        Assert.Equal(ca, await second.CreateClient().GetStringAsync("/agent/v1/ca"));
        using (var client = second.SigningClient(device))
        {
            var response = await client.CheckInOkAsync();
            Assert.Equal(device.ComputerId, response.ComputerId);
        }

        using var admin2 = await second.AdminClientAsync();
        var computer = await admin2.GetComputerAsync(device.ComputerId);
        Assert.Equal(System.Text.Json.JsonValueKind.String, JsonValueKindOf(computer, "lastContactAt"));
        Assert.Equal(HttpStatusCode.OK, (await admin2.PostAsync($"/api/v1/computers/{device.ComputerId}/revoke-certificate", null)).StatusCode);
        using (var client = second.SigningClient(device))
        {
            await (await client.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        }

        // The CRL every node serves comes from the database and lists the revoked serial.
        var crl = await second.CreateClient().GetByteArrayAsync("/pki/crl");
        var listed = System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder.Load(crl, out _);
        Assert.True(listed.RemoveEntry(Convert.FromHexString(device.Certificate.SerialNumber)));
    }

    [Theory, SqliteData, PostgresData]
    public async Task RacingEnrollmentsForTheLastUseOfAnInvitationLetExactlyOneWin(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 1);
        var csrs = Enumerable.Range(0, 8).Select(_ => TestKeys.Csr(TestKeys.NewP256())).ToList();
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        var responses = await Task.WhenAll(csrs.Select((csr, i) =>
            Task.Run(() => clients[i % 2].PostEnrollAsync(invitation, csr, TestKeys.NewUdid()))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        }

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        Assert.Equal(1, await db.Computers.CountAsync());
        Assert.Equal(0, await db.Invitations.Select(i => i.UsesRemaining).SingleAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task SameUdidEnrolledConcurrentlyCompletesOnceAndHoldsTheRest(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        var invitation = await admin.CreateInvitationAsync(uses: 6);
        var udid = TestKeys.NewUdid();
        var csrs = Enumerable.Range(0, 6).Select(_ => TestKeys.Csr(TestKeys.NewP256())).ToList();
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        var responses = await Task.WhenAll(csrs.Select((csr, i) => Task.Run(() => clients[i % 2].PostEnrollAsync(invitation, csr, udid))));

        // The first makes the computer; the others claim a known UDID with a general invitation and wait for approval.
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var computer = await db.Computers.SingleAsync();
        Assert.Equal(udid, computer.Udid);
        Assert.Equal(1, await db.IssuedCertificates.CountAsync(c => c.ComputerId == computer.Id));
        Assert.Equal(5, await db.EnrollmentRequests.CountAsync(r => r.ComputerId == computer.Id));
        Assert.Equal(1, await db.IssuedCertificates.CountAsync(c => c.ComputerId == computer.Id && c.Status == CertificateStatus.Current));
    }

    [Theory, SqliteData, PostgresData]
    public async Task DatabaseRefusesASecondCurrentCertificateForOneComputer(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        var device = await node.EnrollAsync(admin);
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var current = await db.IssuedCertificates.AsNoTracking().SingleAsync(c => c.ComputerId == device.ComputerId);
        db.IssuedCertificates.Add(new IssuedCertificate
        {
            ComputerId = device.ComputerId,
            SerialNumber = "00FF",
            Thumbprint = new string('a', 64),
            Subject = current.Subject,
            Der = current.Der,
            NotBefore = current.NotBefore,
            NotAfter = current.NotAfter,
            IssuedAt = current.IssuedAt,
            Status = CertificateStatus.Current,
            Version = Guid.NewGuid(),
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Theory, SqliteData, PostgresData]
    public async Task LastContactFromTwoNodesIsWrittenInBatchesAndNeverMovesBack(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        // Longer than the clock moves here, so only the explicit flushes below write.
        var slowFlush = new Dictionary<string, string?> { ["Signet:DeviceAuthentication:ActivityFlushInterval"] = "00:05:00" };
        await using var a = database.NewNode(slowFlush);
        await using var b = database.NewNode(slowFlush);
        using var admin = await a.AdminClientAsync();
        var device = await a.EnrollAsync(admin);
        using var viaA = a.SigningClient(device);
        using var viaB = b.SigningClient(device);

        await viaA.CheckInOkAsync();
        var early = database.Time.GetUtcNow();
        database.Time.Advance(TimeSpan.FromMinutes(1));
        await viaB.CheckInOkAsync();
        var late = database.Time.GetUtcNow();

        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            // Nothing written per request: the batches are still pending on both nodes.
            Assert.Null(await db.Computers.Where(c => c.Id == device.ComputerId).Select(c => c.LastContactAt).SingleAsync());
        }

        // The newer contact lands first; the older batch from A must not move it back.
        await b.Services.GetRequiredService<DeviceAuthentication.DeviceActivityRecorder>().FlushAsync(CancellationToken.None);
        await a.Services.GetRequiredService<DeviceAuthentication.DeviceActivityRecorder>().FlushAsync(CancellationToken.None);

        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            var stored = await db.Computers.Where(c => c.Id == device.ComputerId).Select(c => c.LastContactAt).SingleAsync();
            // Databases keep instants to micro- (PostgreSQL) or milliseconds (SQLite's encoding): compare coarsely.
            Assert.NotNull(stored);
            Assert.InRange(stored.Value, late.AddMilliseconds(-5), late);
            Assert.True(stored.Value > early.AddSeconds(30));
        }
    }

    [Theory, PostgresData]
    public async Task NonceAcceptedByOneNodeIsRefusedByTheOther(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await a.EnrollAsync(admin);
        var capture = new CapturingHandler();
        using var viaA = a.SigningClient(device, afterSigning: capture);
        await viaA.CheckInOkAsync();

        using var plainB = b.CreateClient();
        var replayed = await plainB.SendAsync(capture.Replay());

        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized, "replayed");
    }

    [Theory, PostgresData]
    public async Task SettingChangedOnOneNodeIsEnforcedByTheOtherWithinTwoSeconds(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var adminA = await a.AdminClientAsync();
        using var adminB = await b.AdminClientAsync();
        await adminB.GetAsync("/api/v1/settings/security");
        await b.Services.GetRequiredService<Cluster.ClusterSync>().Listening;
        var device = await a.EnrollAsync(adminA);
        using var unsignedB = b.UnsignedClient(device.Udid);
        Assert.Equal(HttpStatusCode.OK, (await unsignedB.CheckInAsync()).StatusCode);

        await adminA.SetSecurityAsync(certificateBasedCommunication: true);

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(2), async () =>
            (await unsignedB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized));
        var settings = await adminB.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/settings/security");
        Assert.True(settings.GetProperty("certificateBasedCommunication").GetBoolean());
    }

    [Theory, PostgresData]
    public async Task RevocationAndReenrollmentOnOneNodeAreEnforcedByTheOtherWithinTwoSeconds(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var adminA = await a.AdminClientAsync();
        await adminA.SetSecurityAsync(certificateBasedCommunication: true);
        await b.Services.GetRequiredService<Cluster.ClusterSync>().Listening;
        var revoked = await a.EnrollAsync(adminA);
        var reenrolled = await a.EnrollAsync(adminA);
        using var revokedViaB = b.SigningClient(revoked);
        using var reenrolledViaB = b.SigningClient(reenrolled);
        await revokedViaB.CheckInOkAsync(); // now in B's key cache
        await reenrolledViaB.CheckInOkAsync();

        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/computers/{revoked.ComputerId}/revoke-certificate", null)).StatusCode);
        var fresh = await a.ReenrollAsync(adminA, reenrolled);

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(2), async () =>
            (await revokedViaB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized));
        await (await revokedViaB.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(2), async () =>
            (await reenrolledViaB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized));
        using var freshViaB = b.SigningClient(fresh);
        await freshViaB.CheckInOkAsync();
    }

    [Theory, PostgresData]
    public async Task RenewalThroughOneNodeIsHonouredByTheOther(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        await b.Services.GetRequiredService<Cluster.ClusterSync>().Listening;
        var device = await a.EnrollAsync(admin);
        using var oldViaB = b.SigningClient(device);
        await oldViaB.CheckInOkAsync();

        var newKey = TestKeys.NewP256();
        using var viaA = a.SigningClient(device);
        var renewal = await viaA.PostAsJsonAsync("/agent/v1/renew", new Signet.Protocol.Wire.RenewRequest(TestKeys.Csr(newKey)),
            Signet.Protocol.Wire.SignetJson.Options);
        Assert.True(renewal.IsSuccessStatusCode, await renewal.Content.ReadAsStringAsync());
        var renewed = (await renewal.Content.ReadFromJsonAsync<Signet.Protocol.Wire.RenewResponse>(Signet.Protocol.Wire.SignetJson.Options))!;
        var successor = device with { Certificate = DeviceClients.CertificateFromPem(renewed.Certificate), Key = newKey };

        using var newViaB = b.SigningClient(successor);
        await newViaB.CheckInOkAsync();
        await oldViaB.CheckInOkAsync(); // within the renewal grace period
        database.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(2), async () =>
            (await oldViaB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized));
        await (await oldViaB.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
        await newViaB.CheckInOkAsync();
    }

    [Theory, PostgresData]
    public async Task RevocationThatWasNeverAnnouncedIsPickedUpByThePeriodicResync(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await a.EnrollAsync(admin);
        using var viaB = b.SigningClient(device);
        await viaB.CheckInOkAsync();

        // A change that bypasses the announcement, as if the notification had been lost.
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            var now = database.Time.GetUtcNow();
            await db.IssuedCertificates.Where(c => c.ComputerId == device.ComputerId)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CertificateStatus.Revoked).SetProperty(c => c.RevokedAt, now));
        }

        await viaB.CheckInOkAsync(); // B still trusts its cached entry
        database.Time.Advance(TimeSpan.FromSeconds(16));

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(5), async () =>
            (await viaB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized));
        await (await viaB.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "certificate-revoked");
    }

    private static System.Text.Json.JsonValueKind JsonValueKindOf(System.Text.Json.JsonElement element, string name) =>
        element.GetProperty(name).ValueKind;

    [Theory, SqliteData, PostgresData]
    public async Task CheckInIntervalSavedIsAnsweredByTheNextCheckInAndEnrollment(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        var device = await node.EnrollAsync(admin);
        using var client = node.SigningClient(device);
        Assert.Equal(900, (await client.CheckInOkAsync()).CheckInIntervalSeconds); // the configured default until saved
        Assert.Equal(900, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/check-in")).GetProperty("checkInIntervalSeconds").GetInt32());

        var saved = await admin.PutAsJsonAsync("/api/v1/settings/check-in", new { checkInIntervalSeconds = 300 });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(300, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checkInIntervalSeconds").GetInt32());
        Assert.Equal(300, (await client.CheckInOkAsync()).CheckInIntervalSeconds);
        Assert.Equal(300, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/check-in")).GetProperty("checkInIntervalSeconds").GetInt32());
        // Saved again (the row exists now): an update, not a second insert.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/settings/check-in", new { checkInIntervalSeconds = 600 })).StatusCode);
        Assert.Equal(600, (await client.CheckInOkAsync()).CheckInIntervalSeconds);

        // A restarted node answers the saved interval from its first request.
        await using var restarted = database.NewNode();
        Assert.Equal(600, (await restarted.SigningClient(device).CheckInOkAsync()).CheckInIntervalSeconds);

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var changes = audit.EnumerateArray().Where(e => e.GetProperty("action").GetString() == "settings.check-in.changed")
            .Select(e => e.GetProperty("details").GetString()).ToList();
        Assert.Equal(["checkInIntervalSeconds=300 → 600", "checkInIntervalSeconds=900 → 300"], changes);
    }

    [Theory, PostgresData]
    public async Task CheckInIntervalSavedOnOneNodeIsAnsweredByTheOtherWithinTwoSeconds(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var adminA = await a.AdminClientAsync();
        using var adminB = await b.AdminClientAsync();
        await b.Services.GetRequiredService<Cluster.ClusterSync>().Listening;
        var device = await a.EnrollAsync(adminA);
        using var clientB = b.SigningClient(device);
        Assert.Equal(900, (await clientB.CheckInOkAsync()).CheckInIntervalSeconds);

        Assert.Equal(HttpStatusCode.OK, (await adminA.PutAsJsonAsync("/api/v1/settings/check-in", new { checkInIntervalSeconds = 300 })).StatusCode);

        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(2), async () =>
            (await clientB.CheckInOkAsync()).CheckInIntervalSeconds == 300));
        Assert.Equal(300, (await adminB.GetFromJsonAsync<JsonElement>("/api/v1/settings/check-in")).GetProperty("checkInIntervalSeconds").GetInt32());
    }

    [Theory, SqliteData, PostgresData]
    public async Task ACheckInIntervalOutOfRangeOrMissingIsRefusedAndNothingChanges(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode();
        using var admin = await node.AdminClientAsync();
        foreach (var body in new object[] { new { checkInIntervalSeconds = 5 }, new { checkInIntervalSeconds = 86_401 }, new { } })
        {
            var refused = await admin.PutAsJsonAsync("/api/v1/settings/check-in", body);
            var problem = await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
            Assert.True(problem.GetProperty("errors").TryGetProperty("checkInIntervalSeconds", out _));
        }

        Assert.Equal(900, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/settings/check-in")).GetProperty("checkInIntervalSeconds").GetInt32());
        await using var scope = node.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<SignetDbContext>().CheckInSettings.CountAsync());
    }
}
