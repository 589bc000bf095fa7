using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Console;

/// <summary>The console's cookie on the admin API: reads work, changes only from the console's own origin (or with its
/// antiforgery token); a bearer token is unaffected.</summary>
public sealed class ApiWithConsoleCookieTests
{
    [Fact]
    public async Task CookieReadsTheApiButARevocationSentFromAnotherOriginIsRefused()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-CROSS-ORIGIN", "cross-origin-mac");
        var browser = await app.LoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(new Uri("/api/v1/computers", UriKind.Relative))).StatusCode);

        // A foreign page, a same-site sibling, a cross-site fetch, and a client that says nothing about where it came from.
        foreach (var (origin, site) in new (string?, string?)[]
                 {
                     ("http://evil.example", null), ("http://sibling.localhost", "same-site"), (null, "cross-site"), (null, null),
                 })
        {
            using var request = Revoke(device.ComputerId, origin, site);
            var refused = await browser.SendAsync(request);
            var problem = await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "validation-failed");
            Assert.Contains("bearer token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("current", await CertificateStatusAsync(browser, device.ComputerId));

        using var sameOrigin = Revoke(device.ComputerId, "http://localhost", null);
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(sameOrigin)).StatusCode);
        Assert.Equal("revoked", await CertificateStatusAsync(browser, device.ComputerId));
    }

    [Fact]
    public async Task BrowserSaysSameOriginOrTheConsoleAntiforgeryTokenAllowsAChange()
    {
        await using var app = new ConsoleApp();
        var browser = await app.LoggedInAsync();

        using (var fetch = CreateInvitation())
        {
            fetch.Headers.Add("Sec-Fetch-Site", "same-origin");
            Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(fetch)).StatusCode);
        }

        var antiforgery = await browser.AntiforgeryTokenAsync("/console/invitations");
        using (var withToken = CreateInvitation())
        {
            withToken.Headers.Add("RequestVerificationToken", antiforgery);
            Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(withToken)).StatusCode);
        }

        using (var forged = CreateInvitation())
        {
            forged.Headers.Add("RequestVerificationToken", "not-a-token");
            await (await browser.SendAsync(forged)).AssertProblemAsync(HttpStatusCode.Forbidden, "validation-failed");
        }
    }

    [Fact]
    public async Task BearerTokenWorksWhateverTheOrigin()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var request = CreateInvitation();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(request)).StatusCode);
    }

    /// <summary>The request of the reported attack: the cookie alone, a form content type, and the given Origin.</summary>
    private static HttpRequestMessage Revoke(string computerId, string? origin, string? fetchSite)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/computers/{computerId}/revoke-certificate", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent([]),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        return request;
    }

    private static HttpRequestMessage CreateInvitation() =>
        new(HttpMethod.Post, new Uri("/api/v1/invitations", UriKind.Relative)) { Content = JsonContent.Create(new { uses = 1 }) };

    private static async Task<string?> CertificateStatusAsync(HttpClient client, string computerId)
    {
        var computer = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/computers/{computerId}", UriKind.Relative));
        return computer.GetProperty("certificate").GetProperty("status").GetString();
    }
}
