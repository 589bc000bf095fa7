using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.Audit;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Signet.Server.Tests.Storage;

/// <summary>The login lockout under concurrent guessing, on every configured database: its counters live in the
/// database, so two nodes over one database share them.</summary>
public sealed class LoginLockoutSuiteTests(ITestOutputHelper output)
{
    private const int MaxFailedLogins = 5;

    /// <summary>The per-address limiter would answer most of a burst before the lockout is reached; it is tested on
    /// its own, so here it is out of the way.</summary>
    private static readonly Dictionary<string, string?> BurstSettings = new()
    {
        ["Signet:Admin:MaxFailedLogins"] = MaxFailedLogins.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Signet:Admin:LoginPermitsPerMinute"] = "10000",
        ["Signet:Admin:MaxFailedLoginsPerAddress"] = "1000",
    };

    [Theory, SqliteData, PostgresData]
    public async Task ConcurrentBurstEvaluatesAtMostTheLimitAndTheRightPasswordIsRefusedWhileLocked(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var a = database.NewNode(BurstSettings);
        await using var b = database.NewNode(BurstSettings);
        var clients = new[] { a.CreateClient(), b.CreateClient() };
        _ = await Task.WhenAll(clients.Select(c => c.GetAsync("/healthz"))); // both nodes started before the burst

        // 50 wrong guesses at once, spread over both nodes; the right password goes out with them, as soon as the
        // first answers are back (sent first it would be the attempt that rightly gets in).
        using var answered = new SemaphoreSlim(0);
        var wrong = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            var response = await clients[i % 2].PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = $"guess-{i}" });
            answered.Release();
            return response;
        })).ToList();
        var right = Task.Run(async () =>
        {
            for (var i = 0; i < MaxFailedLogins; i++)
            {
                await answered.WaitAsync();
            }

            return await clients[1].PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = SignetFactory.AdminPassword });
        });
        var responses = await Task.WhenAll(wrong.Append(right));

        // Every checked password leaves one admin.login.failed row (a right one refused because the burst locked the
        // username while it was being checked too); refusals of a locked username leave none.
        var evaluated = await CountAsync(a, AuditActions.LoginFailed);
        var unauthorized = responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var limited = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        output.WriteLine($"{kind}: {evaluated} guesses evaluated, {unauthorized}x401, {limited}x429, right password: {(int)(await right).StatusCode}");

        Assert.DoesNotContain(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.InRange(evaluated, 1, MaxFailedLogins);
        Assert.InRange(unauthorized, 1, evaluated);
        foreach (var response in responses.Where(r => r.StatusCode != HttpStatusCode.Unauthorized))
        {
            await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        }

        // Once the lockout has passed, the right password works on either node.
        database.Time.Advance(TimeSpan.FromMinutes(16));
        using var admin = await b.AdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/computers")).StatusCode);
    }

    private static async Task<int> CountAsync(SignetFactory node, string action)
    {
        await using var scope = node.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        return await db.AuditEvents.CountAsync(e => e.Action == action);
    }
}
