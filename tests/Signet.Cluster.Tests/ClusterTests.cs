using System.Net;
using System.Security.Cryptography;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Wire;

namespace Signet.Cluster.Tests;

/// <summary>Two real signet-server processes on different loopback ports, one PostgreSQL database, one master key.</summary>
public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan ClusterDelay = TimeSpan.FromSeconds(2);

    private static Dictionary<string, string> NodeEnvironment(ClusterDatabase database, string masterKey) => new()
    {
        ["Signet__Database__Provider"] = "PostgreSQL",
        ["ConnectionStrings__Signet"] = database.ConnectionString,
        ["Signet__MasterKey"] = masterKey,
        ["Signet__PublicAuthority"] = Nodes.PublicAuthority,
    };

    private static async Task<(ServerProcess A, ServerProcess B)> StartPairAsync(ClusterDatabase database)
    {
        var environment = NodeEnvironment(database, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        // Both start at once: the first start must still make one CA and one admin.
        var a = Nodes.Start(environment);
        var b = Nodes.Start(environment);
        await Task.WhenAll(a.WaitUntilReadyAsync(), b.WaitUntilReadyAsync());
        return (a, b);
    }

    [PostgresFact]
    public async Task NodesShareCaEnrollmentSettingReplayCacheAndRevocation()
    {
        await using var database = await ClusterDatabase.CreateAsync();
        var (a, b) = await StartPairAsync(database);
        await using var nodeA = a;
        await using var nodeB = b;
        using var adminA = await a.AdminAsync();
        using var adminB = await b.AdminAsync();

        Assert.Equal(await a.Client().GetStringAsync("/agent/v1/ca"), await b.Client().GetStringAsync("/agent/v1/ca"));
        Assert.Equal(1, await database.ScalarAsync("""SELECT COUNT(*) FROM "CertificateAuthorities" """));
        Assert.Equal(1, await database.ScalarAsync("""SELECT COUNT(*) FROM "AdminUsers" """));

        // Enroll through A, check in through B (setting off: served, signature checked anyway).
        using var enrollClient = a.Client();
        var device = await enrollClient.EnrollAsync(await adminA.CreateInvitationAsync());
        using var unsignedB = b.Client();
        unsignedB.DefaultRequestHeaders.Add("Signet-Device", device.Udid);
        Assert.Equal(HttpStatusCode.OK, (await unsignedB.CheckInAsync()).StatusCode);

        // The setting changed on A is enforced on B.
        await adminA.SetSecurityAsync(certificateBasedCommunication: true);
        Assert.True(await Eventually.WithinAsync(ClusterDelay, async () =>
            (await unsignedB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized), "B still serves unsigned requests");
        Assert.Equal("signature-required", await (await unsignedB.CheckInAsync()).ProblemCodeAsync());

        // A request accepted by A, replayed byte for byte to B, is refused there.
        var capture = new CapturingHandler();
        using var signedA = a.SigningClient(device, capture);
        Assert.Equal(HttpStatusCode.OK, (await signedA.CheckInAsync()).StatusCode);
        using var plainB = new HttpClient();
        var replay = await plainB.SendAsync(capture.Replay(b.BaseAddress));
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("replayed", await replay.ProblemCodeAsync());

        // B has the key cached from a valid check-in; a revocation on A is enforced on B.
        using var signedB = b.SigningClient(device);
        Assert.Equal(HttpStatusCode.OK, (await signedB.CheckInAsync()).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/computers/{device.ComputerId}/revoke-certificate", null)).StatusCode);
        Assert.True(await Eventually.WithinAsync(ClusterDelay, async () =>
            (await signedB.CheckInAsync()).StatusCode == HttpStatusCode.Unauthorized), "B still accepts the revoked certificate");
        Assert.Equal("certificate-revoked", await (await signedB.CheckInAsync()).ProblemCodeAsync());

        // A known UDID with a general invitation is held on B, approved on A, and the poll on B gets the certificate.
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var viaB = b.Client();
        var held = await viaB.PostEnrollAsync(await adminB.CreateInvitationAsync(), TestKeys.Csr(newKey), device.Udid);
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        var requestId = (await held.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!.RequestId;
        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/enrollment-requests/{requestId}/approve", null)).StatusCode);
        var poll = await viaB.GetAsync($"/agent/v1/enrollment-requests/{requestId}");
        Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
        var approved = (await poll.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        using var againViaA = a.SigningClient(new TestDevice(approved.ComputerId, device.Udid, X509Certificate2.CreateFromPem(approved.Certificate), newKey, approved));
        Assert.Equal(HttpStatusCode.OK, (await againViaA.CheckInAsync()).StatusCode);
    }

    [PostgresFact]
    public async Task NodeKilledDuringAnEnrollmentBurstLeavesNoHalfMadeRows()
    {
        await using var database = await ClusterDatabase.CreateAsync();
        var (a, b) = await StartPairAsync(database);
        await using var survivor = a;
        await using var victim = b;
        using var admin = await a.AdminAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var invitation = await admin.CreateInvitationAsync(uses: 100);
        using var viaA = a.Client();
        using var viaB = b.Client();

        var started = 0;
        var agents = Enumerable.Range(0, 40).Select(_ => (Udid: Guid.NewGuid().ToString().ToUpperInvariant(), Key: ECDsa.Create(ECCurve.NamedCurves.nistP256))).ToList();
        var burst = agents.Select((agent, i) => Task.Run(async () =>
        {
            Interlocked.Increment(ref started);
            try
            {
                return await (i % 2 == 0 ? viaA : viaB).TryEnrollAsync(invitation, agent.Key, TestDevice.Describe(agent.Udid));
            }
            catch (HttpRequestException)
            {
                return null; // the killed node dropped the connection
            }
            catch (TaskCanceledException)
            {
                return null;
            }
        })).ToList();
        await Eventually.WithinAsync(TimeSpan.FromSeconds(30), () => Task.FromResult(burst.Count(t => t.IsCompleted) >= 8));
        var completedBeforeKill = burst.Count(t => t.IsCompleted);
        victim.Kill();
        var answers = await Task.WhenAll(burst);
        // Agents left without an answer retry with the same key on the survivor: an enrollment the killed node committed
        // is handed back (not held, not a second use), one it never committed completes now.
        for (var i = 0; i < answers.Length; i++)
        {
            answers[i] ??= await viaA.TryEnrollAsync(invitation, agents[i].Key, TestDevice.Describe(agents[i].Udid))
                ?? throw new InvalidOperationException($"the retry of enrollment {i} was not completed");
        }

        var received = answers.Select(d => d!).ToList();
        output.WriteLine($"{completedBeforeKill} of 40 enrollments finished before the kill; {received.Count} clients received a certificate; " +
            $"{await database.ScalarAsync("""SELECT COUNT(*) FROM "Computers" """)} computers stored");

        Assert.NotEmpty(received);
        var stored = await database.StringsAsync("""SELECT "Thumbprint" FROM "IssuedCertificates" """);
        foreach (var device in received)
        {
            Assert.Contains(Signet.Protocol.Device.KeyIds.FromCertificate(device.Certificate.RawData), stored);
            using var client = survivor.SigningClient(device);
            var response = await client.CheckInAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await database.ScalarAsync(
            """SELECT COUNT(*) FROM "Computers" c WHERE (SELECT COUNT(*) FROM "IssuedCertificates" i WHERE i."ComputerId" = c."Id" AND i."Status" = 0) <> 1"""));
        Assert.Equal(0, await database.ScalarAsync(
            """SELECT COUNT(*) FROM "IssuedCertificates" i WHERE NOT EXISTS (SELECT 1 FROM "Computers" c WHERE c."Id" = i."ComputerId")"""));
        Assert.Equal(await database.ScalarAsync("""SELECT COUNT(*) FROM "Computers" """),
            100 - await database.ScalarAsync("""SELECT "UsesRemaining" FROM "Invitations" """));
    }

    [PostgresFact]
    public async Task MigrateDataMovesASqliteInstallToPostgresWithTheSameCaAndWorkingDevices()
    {
        await using var database = await ClusterDatabase.CreateAsync();
        var sqlite = Nodes.Start(new Dictionary<string, string> { ["Signet__PublicAuthority"] = Nodes.PublicAuthority });
        await sqlite.WaitUntilReadyAsync();
        var dataDirectory = sqlite.DataDirectory;
        var caPem = await sqlite.Client().GetStringAsync("/agent/v1/ca");
        TestDevice device;
        TestDevice deleted;
        string? heldId;
        using var heldKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (var admin = await sqlite.AdminAsync())
        {
            await admin.SetSecurityAsync(certificateBasedCommunication: true);
            device = await sqlite.Client().EnrollAsync(await admin.CreateInvitationAsync());
            using var signed = sqlite.SigningClient(device);
            Assert.Equal(HttpStatusCode.OK, (await signed.CheckInAsync()).StatusCode);
            // A deleted computer (its revoked certificate must stay on the CRL) and a request held for approval move too.
            deleted = await sqlite.Client().EnrollAsync(await admin.CreateInvitationAsync());
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/computers/{deleted.ComputerId}")).StatusCode);
            var held = await sqlite.Client().PostEnrollAsync(await admin.CreateInvitationAsync(), TestKeys.Csr(heldKey), device.Udid);
            Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
            heldId = (await held.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!.RequestId;
        }

        sqlite.Kill();

        var (exitCode, output) = await ServerProcess.RunToExitAsync(["migrate-data", "--to-postgres", database.ConnectionString,
            $"--Signet:DataDirectory={dataDirectory}"], dataDirectory);
        Assert.True(exitCode == 0, output);
        Assert.Contains("Signet__Database__Provider=PostgreSQL", output, StringComparison.Ordinal);
        Assert.Contains("master.key", output, StringComparison.Ordinal);

        var (again, refusal) = await ServerProcess.RunToExitAsync(["migrate-data", "--to-postgres", database.ConnectionString,
            $"--Signet:DataDirectory={dataDirectory}"], dataDirectory);
        Assert.Equal(3, again);
        Assert.Contains("already holds Signet data", refusal, StringComparison.Ordinal);

        var masterKey = (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "master.key"))).Trim();
        var postgresData = Directory.CreateTempSubdirectory("signet-cluster-node-").FullName;
        await using var moved = Nodes.Start(NodeEnvironment(database, masterKey), postgresData);
        await moved.WaitUntilReadyAsync();
        Assert.Equal(caPem, await moved.Client().GetStringAsync("/agent/v1/ca"));
        using var signedAfter = moved.SigningClient(device);
        var checkIn = await signedAfter.CheckInAsync();
        Assert.True(checkIn.StatusCode == HttpStatusCode.OK, await checkIn.Content.ReadAsStringAsync());

        using var movedAdmin = await moved.AdminAsync();
        var audit = await movedAdmin.GetStringAsync("/api/v1/audit");
        Assert.Contains(device.ComputerId, audit, StringComparison.Ordinal);
        var computer = await movedAdmin.GetStringAsync($"/api/v1/computers/{device.ComputerId}");
        Assert.Contains(device.Udid, computer, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await movedAdmin.GetAsync($"/api/v1/computers/{deleted.ComputerId}")).StatusCode);
        var crl = CertificateRevocationListBuilder.Load(await moved.Client().GetByteArrayAsync("/pki/crl"), out _);
        Assert.True(crl.RemoveEntry(Convert.FromHexString(deleted.Certificate.SerialNumber)));
        Assert.Equal(HttpStatusCode.Accepted, (await moved.Client().GetAsync($"/agent/v1/enrollment-requests/{heldId}")).StatusCode);
        // New rows get fresh ids after the copied ones (identities moved past them).
        Assert.Equal(HttpStatusCode.Created, (await movedAdmin.PostAsync("/api/v1/invitations", System.Net.Http.Json.JsonContent.Create(new { uses = 1 }))).StatusCode);
        var second = await moved.Client().EnrollAsync(await movedAdmin.CreateInvitationAsync());
        Assert.NotEqual(device.ComputerId, second.ComputerId);

        await ((IAsyncDisposable)sqlite).DisposeAsync();
    }
}
