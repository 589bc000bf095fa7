using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.AdminApi;
using Signet.Server.Data;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>The admin login and its tokens (docs/api.md): lockout per username and per address, the per-address rate
/// limit, the same work for unknown usernames, and ending tokens.</summary>
public sealed class AdminAuthTests
{
    private const string AddressA = "203.0.113.10";
    private const string AddressB = "198.51.100.20";

    [Fact]
    public async Task UnknownAndKnownUsernamesBothRunThePasswordHashAtTheSameCost()
    {
        var hasher = new CountingHasher();
        await using var factory = new SignetFactory();
        using var host = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher>(hasher)));
        using var client = host.CreateClient();
        _ = await client.GetAsync(new Uri("/healthz", UriKind.Relative)); // first start hashes the initial password
        hasher.Verified.Clear();

        var unknown = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "nobody", password = "whatever1" });
        var known = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = "whatever1" });

        var unknownProblem = await unknown.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        var knownProblem = await known.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        Assert.Equal(knownProblem.GetProperty("detail").GetString(), unknownProblem.GetProperty("detail").GetString());
        // One full PBKDF2 check each, at the same iteration count: the answer time does not tell which name exists.
        Assert.Equal(2, hasher.Verified.Count);
        Assert.Single(hasher.Verified.Distinct());
    }

    [Fact]
    public async Task RightPasswordIsRefusedWhenGuessesLockTheUsernameWhileItIsBeingChecked()
    {
        using var hasher = new PausingHasher(SignetFactory.AdminPassword);
        await using var factory = new SignetFactory();
        using var host = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher>(hasher)));
        using var client = host.CreateClient();
        _ = await client.GetAsync(new Uri("/healthz", UriKind.Relative));

        // The right password goes first and is counted first; five guesses arrive while it is being checked.
        var right = client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = SignetFactory.AdminPassword });
        await hasher.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var guesses = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            guesses.Add(await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = $"guess-{i}" }));
        }

        hasher.Release();
        await (await right).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal(4, guesses.Count(g => g.StatusCode == HttpStatusCode.Unauthorized));
        await guesses[^1].AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var failed = await db.AuditEvents.Where(e => e.Action == "admin.login.failed").Select(e => e.Details).ToListAsync();
        Assert.Equal(5, failed.Count); // four guesses and the right password: never more than the limit checked
        Assert.Single(failed, d => d != null && d.StartsWith("the right password, refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownUsernameLocksLikeAKnownOneSoTheLockDoesNotRevealWhichExists()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        foreach (var username in new[] { "admin", "nobody" })
        {
            for (var i = 0; i < 5; i++)
            {
                var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = "wrong password" });
                await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
            }

            var locked = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = "wrong password" });
            await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        }
    }

    [Fact]
    public async Task FailuresFromOneAddressLockThatAddressForEveryUsernameButNotOtherAddresses()
    {
        await using var factory = new SignetFactory(settings: Settings(("Signet:Admin:MaxFailedLoginsPerAddress", "4")));
        for (var i = 0; i < 4; i++)
        {
            // Different usernames, so no username reaches its own limit.
            Assert.Equal(StatusCodes.Status401Unauthorized, (await LoginFromAsync(factory, AddressA, $"user{i}", "wrong password")).Status);
        }

        var refused = await LoginFromAsync(factory, AddressA, "admin", SignetFactory.AdminPassword);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refused.Status);
        Assert.Equal("urn:signet:problem:rate-limited", refused.Problem.GetProperty("type").GetString());

        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, AddressB, "admin", SignetFactory.AdminPassword)).Status);
        factory.Time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, AddressA, "admin", SignetFactory.AdminPassword)).Status);
    }

    [Fact]
    public async Task IPv6ClientsAreCountedByTheirSlash64()
    {
        await using var factory = new SignetFactory(settings: Settings(("Signet:Admin:MaxFailedLoginsPerAddress", "3")));
        foreach (var host in new[] { "a", "b", "c" })
        {
            Assert.Equal(StatusCodes.Status401Unauthorized, (await LoginFromAsync(factory, "2001:db8:1:2::" + host, "user" + host, "wrong password")).Status);
        }

        Assert.Equal(StatusCodes.Status429TooManyRequests, (await LoginFromAsync(factory, "2001:db8:1:2::ffff", "admin", SignetFactory.AdminPassword)).Status);
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, "2001:db8:1:3::a", "admin", SignetFactory.AdminPassword)).Status);
    }

    [Fact]
    public async Task LoginRequestsArePerAddressRateLimitedRightOrWrong()
    {
        await using var factory = new SignetFactory(settings: Settings(("Signet:Admin:LoginPermitsPerMinute", "3")));
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, AddressA, "admin", SignetFactory.AdminPassword)).Status);
        Assert.Equal(StatusCodes.Status401Unauthorized, (await LoginFromAsync(factory, AddressA, "nobody", "wrong password")).Status);
        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, AddressA, "admin", SignetFactory.AdminPassword)).Status);

        var limited = await LoginFromAsync(factory, AddressA, "admin", SignetFactory.AdminPassword);
        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Status);
        Assert.Equal("urn:signet:problem:rate-limited", limited.Problem.GetProperty("type").GetString());
        Assert.Contains("from this address", limited.Problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(limited.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);

        // The console's login form counts against the same limit (it is refused before its own checks run).
        var console = await SendFromAsync(factory, AddressA, HttpMethods.Post, "/console/login", "application/x-www-form-urlencoded",
            "Username=admin&Password=x");
        Assert.Equal(StatusCodes.Status429TooManyRequests, console.Status);
        Assert.Equal("urn:signet:problem:rate-limited", console.Problem.GetProperty("type").GetString());

        Assert.Equal(StatusCodes.Status200OK, (await LoginFromAsync(factory, AddressB, "admin", SignetFactory.AdminPassword)).Status);
    }

    [Fact]
    public async Task EndingATokenRefusesItAfterwardsAndLeavesOtherTokensWorking()
    {
        await using var factory = new SignetFactory();
        using var first = await factory.AdminClientAsync();
        using var second = await factory.AdminClientAsync();

        var ended = await first.DeleteAsync(new Uri("/api/v1/auth/token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, ended.StatusCode);

        await (await first.GetAsync(new Uri("/api/v1/computers", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        await (await first.DeleteAsync(new Uri("/api/v1/auth/token", UriKind.Relative))).AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync(new Uri("/api/v1/computers", UriKind.Relative))).StatusCode);

        var audit = await second.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "admin.logout");
    }

    [Fact]
    public async Task TokensAreStoredOnlyAsTheirHash()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();
        var token = admin.DefaultRequestHeaders.Authorization!.Parameter!;

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var stored = await db.AdminTokens.SingleAsync();
        Assert.Equal(AdminBearerHandler.HashToken(token), stored.TokenHash);
        Assert.NotEqual(token, stored.TokenHash);
        Assert.DoesNotContain(token, await admin.GetStringAsync(new Uri("/api/v1/audit", UriKind.Relative)), StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    private sealed record Answer(int Status, JsonElement Problem, string? RetryAfter);

    private static Task<Answer> LoginFromAsync(SignetFactory factory, string address, string username, string password) =>
        SendFromAsync(factory, address, HttpMethods.Post, "/api/v1/auth/token", "application/json",
            JsonSerializer.Serialize(new { username, password }));

    /// <summary>A request as if from <paramref name="address"/>: the test server lets the test set the connection's remote
    /// address, which an HttpClient cannot.</summary>
    private static async Task<Answer> SendFromAsync(SignetFactory factory, string address, string method, string path, string contentType,
        string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = await factory.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
            c.Request.Method = method;
            c.Request.Path = path;
            c.Request.ContentType = contentType;
            c.Request.ContentLength = bytes.Length;
            c.Request.Body = new MemoryStream(bytes);
            c.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        });
        var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
        var problem = context.Response.ContentType?.StartsWith("application/problem+json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return new Answer(context.Response.StatusCode, problem, context.Response.Headers.RetryAfter.ToString() is { Length: > 0 } r ? r : null);
    }

    /// <summary>A context made by hand says nothing about a body, and minimal APIs then bind none.</summary>
    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    /// <summary>The real hasher, holding the check of one password until the test releases it.</summary>
    private sealed class PausingHasher(string paused) : IPasswordHasher, IDisposable
    {
        private readonly PasswordHasher _inner = new();
        private readonly ManualResetEventSlim _release = new();

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _release.Set();

        public (byte[] Hash, byte[] Salt) Hash(string password, int iterations) => _inner.Hash(password, iterations);

        public bool Verify(string password, byte[] hash, byte[] salt, int iterations)
        {
            if (password == paused)
            {
                Entered.TrySetResult();
                _release.Wait(TimeSpan.FromSeconds(30));
            }

            return _inner.Verify(password, hash, salt, iterations);
        }

        public void Dispose() => _release.Dispose();
    }

    /// <summary>The real hasher, recording the iteration count of every check.</summary>
    private sealed class CountingHasher : IPasswordHasher
    {
        private readonly PasswordHasher _inner = new();

        public System.Collections.Concurrent.ConcurrentBag<int> Verified { get; } = [];

        public (byte[] Hash, byte[] Salt) Hash(string password, int iterations) => _inner.Hash(password, iterations);

        public bool Verify(string password, byte[] hash, byte[] salt, int iterations)
        {
            Verified.Add(iterations);
            return _inner.Verify(password, hash, salt, iterations);
        }
    }
}
