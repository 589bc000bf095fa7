using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Signet.Protocol.Wire;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies and networks in
/// <c>Signet:ForwardedHeaders</c>; rate limits and the audit log then see the computer's address.</summary>
public sealed class ForwardedHeadersTests
{
    private const string Proxy = "10.0.0.5";

    private static SignetFactory BehindProxies(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Signet:Admin:InitialPassword"] = SignetFactory.AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
            ["Signet:ForwardedHeaders:KnownProxies:0"] = Proxy,
            ["Signet:ForwardedHeaders:KnownNetworks:0"] = "192.0.2.0/24",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return new SignetFactory(settings: settings);
    }

    [Fact]
    public async Task TheForwardedAddressIsUsedOnlyFromAKnownProxyOrNetwork()
    {
        await using var factory = BehindProxies();
        using var admin = await factory.AdminClientAsync();

        Assert.Equal("203.0.113.7", await EnrolledSourceAsync(factory, admin, peer: Proxy, forwardedFor: "203.0.113.7"));
        Assert.Equal("203.0.113.8", await EnrolledSourceAsync(factory, admin, peer: "192.0.2.44", forwardedFor: "203.0.113.8"));
        // A chain through two known proxies ends at the computer; an unknown hop in it ends the walk there.
        Assert.Equal("203.0.113.10", await EnrolledSourceAsync(factory, admin, peer: Proxy, forwardedFor: "203.0.113.10, 192.0.2.9"));
        Assert.Equal("198.51.100.1", await EnrolledSourceAsync(factory, admin, peer: Proxy, forwardedFor: "203.0.113.11, 198.51.100.1"));
        // Anyone else may write the header; it is ignored.
        Assert.Equal("198.51.100.9", await EnrolledSourceAsync(factory, admin, peer: "198.51.100.9", forwardedFor: "203.0.113.9"));
    }

    [Fact]
    public async Task NothingIsTrustedByDefaultNotEvenLoopback()
    {
        await using var factory = new SignetFactory();
        using var admin = await factory.AdminClientAsync();

        Assert.Equal("127.0.0.1", await EnrolledSourceAsync(factory, admin, peer: "127.0.0.1", forwardedFor: "203.0.113.7"));
        Assert.Equal(Proxy, await EnrolledSourceAsync(factory, admin, peer: Proxy, forwardedFor: "203.0.113.7"));
    }

    [Fact]
    public async Task TheEnrollmentLimitCountsTheComputersAddressBehindAProxy()
    {
        await using var factory = BehindProxies(new() { ["Signet:Enrollment:PermitsPerMinute"] = "1" });
        using var viaProxy = factory.ClientFrom(Proxy);

        await (await GuessAsync(viaProxy, "203.0.113.7")).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await GuessAsync(viaProxy, "203.0.113.7")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
        // Every other computer behind the same balancer is its own address.
        await (await GuessAsync(viaProxy, "203.0.113.8")).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        // A peer that is not a proxy cannot charge its failures to someone else, nor escape its own.
        using var spoofer = factory.ClientFrom("198.51.100.9");
        await (await GuessAsync(spoofer, "203.0.113.20")).AssertProblemAsync(HttpStatusCode.Forbidden, "invitation-invalid");
        await (await GuessAsync(spoofer, "203.0.113.21")).AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate-limited");
    }

    [Fact]
    public async Task HttpsForwardedByAKnownProxyGetsHsts()
    {
        await using var factory = BehindProxies();
        using var viaProxy = factory.ClientFrom(Proxy, "http://signet.example.com/");
        using var other = factory.ClientFrom("198.51.100.9", "http://signet.example.com/");

        Assert.True((await GetWithProtoAsync(viaProxy)).Headers.Contains("Strict-Transport-Security"));
        Assert.False((await GetWithProtoAsync(other)).Headers.Contains("Strict-Transport-Security"));
    }

    [Theory]
    [InlineData("Signet:ForwardedHeaders:KnownProxies:0", "load-balancer")]
    [InlineData("Signet:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    public async Task AProxySettingThatIsNotAnAddressFailsTheStartNamingIt(string key, string value)
    {
        await using var factory = new SignetFactory(settings: new() { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("Signet:ForwardedHeaders:", error.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> GuessAsync(HttpClient client, string forwardedFor)
    {
        using var key = TestKeys.NewP256();
        var request = new HttpRequestMessage(HttpMethod.Post, "/agent/v1/enroll")
        {
            Content = JsonContent.Create(new EnrollRequest("no-such-invitation", TestKeys.Csr(key),
                new DeviceInfo(TestKeys.NewUdid(), "C02TEST", "host", "Mac14,2", "macOS", "15.2")), options: SignetJson.Options),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }

    private static async Task<HttpResponseMessage> GetWithProtoAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        return await client.SendAsync(request);
    }

    /// <summary>Enrolls a new computer from <paramref name="peer"/> with the header, and returns the source address
    /// the audit log recorded for it.</summary>
    private static async Task<string> EnrolledSourceAsync(SignetFactory factory, HttpClient admin, string peer, string forwardedFor)
    {
        using var client = factory.ClientFrom(peer);
        using var key = TestKeys.NewP256();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/agent/v1/enroll")
        {
            Content = JsonContent.Create(new EnrollRequest(await admin.CreateInvitationAsync(), TestKeys.Csr(key),
                new DeviceInfo(TestKeys.NewUdid(), "C02TEST", "host", "Mac14,2", "macOS", "15.2")), options: SignetJson.Options),
        };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var computerId = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!.ComputerId;

        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var details = audit.EnumerateArray()
            .Single(e => e.GetProperty("action").GetString() == "computer.enrolled" && e.GetProperty("subject").GetString() == computerId)
            .GetProperty("details").GetString()!;
        return details[(details.IndexOf("source=", StringComparison.Ordinal) + "source=".Length)..];
    }
}
