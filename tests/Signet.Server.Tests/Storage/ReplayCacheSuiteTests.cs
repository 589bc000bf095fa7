using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Storage;

/// <summary>The replay cache against every configured database: nonces compared in one form, and an outage of the
/// shared cache reported as an outage (503 <c>service-unavailable</c>), never as <c>replayed</c>.</summary>
public sealed class ReplayCacheSuiteTests
{
    [Theory, SqliteData, PostgresData]
    public async Task PaddedAndUnpaddedSpellingsOfANonceAreOneNonce(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        // With PostgreSQL the second spelling goes to another node, so the shared cache must compare canonically too.
        await using var b = kind == DatabaseKind.PostgreSql ? database.NewNode() : null;
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await a.EnrollAsync(admin);
        var unpadded = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        Assert.Equal(43, unpadded.Length);

        using var first = a.SigningClient(device, nonce: () => unpadded);
        await first.CheckInOkAsync();
        using var second = (b ?? a).SigningClient(device, nonce: () => unpadded + "=");
        var replayed = await second.CheckInAsync();

        await replayed.AssertProblemAsync(HttpStatusCode.Unauthorized, "replayed");
    }

    [Theory, PostgresData]
    public async Task ANonceLongerThanTheSharedCachesKeyColumnIsRecordedAndItsReplayRefused(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode();
        await using var b = database.NewNode();
        using var admin = await a.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await a.EnrollAsync(admin);
        var nonce = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(300));

        using var viaA = a.SigningClient(device, nonce: () => nonce);
        await viaA.CheckInOkAsync();
        using var viaB = b.SigningClient(device, nonce: () => nonce);

        await (await viaB.CheckInAsync()).AssertProblemAsync(HttpStatusCode.Unauthorized, "replayed");
    }

    [Theory, PostgresData]
    public async Task SharedCacheOutageIsServiceUnavailableAndRequestsAreServedOnceItIsBack(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var node = database.NewNode(new() { ["Signet:Cluster:ReplayCacheTimeout"] = "00:00:02" });
        using var admin = await node.AdminClientAsync();
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        var device = await node.EnrollAsync(admin);
        using var client = node.SigningClient(device);
        // The key is now cached: during the outage only the replay cache needs the database.
        await client.CheckInOkAsync();

        await database.SetReachableAsync(false);
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var refused = await client.CheckInAsync();
                var problem = await refused.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
                Assert.Contains("replay cache is unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.Empty(refused.Headers.WwwAuthenticate);
            }
        }
        finally
        {
            await database.SetReachableAsync(true);
        }

        // The outage was not recorded as the computer's signature outcome.
        var computer = await admin.GetComputerAsync(device.ComputerId);
        Assert.Equal("valid", computer.GetProperty("lastSignature").GetProperty("outcome").GetString());
        // Connections the outage broke may still sit in the pool: while they are weeded out, a request may meet one,
        // and is then refused as an outage, never as a replay or a server error.
        Assert.True(await Eventually.WithinAsync(TimeSpan.FromSeconds(10), async () =>
        {
            var response = await client.CheckInAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "service-unavailable");
            }

            return response.StatusCode == HttpStatusCode.OK;
        }));
        await client.CheckInOkAsync();
    }
}
