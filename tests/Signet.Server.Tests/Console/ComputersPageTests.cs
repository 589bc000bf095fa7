using System.Net;

namespace Signet.Server.Tests.Console;

public sealed class ComputersPageTests
{
    private static readonly Uri AgentBase = new("http://localhost/");

    [Fact]
    public async Task ListShowsComputersAndSearchNarrowsIt()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var alpha = await NamedComputers.EnrollAsync(http, token, "UDID-ALPHA-0001", "alpha-mac", "SERIAL-ALPHA");
        using var beta = await NamedComputers.EnrollAsync(http, token, "UDID-BETA-0002", "beta-mac", "SERIAL-BETA");
        var client = await app.LoggedInAsync();

        var all = await client.GetHtmlAsync("/console/computers");
        Assert.Contains($"href=\"/console/computers/{alpha.ComputerId}\">alpha-mac</a>", all, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/computers/{beta.ComputerId}\">beta-mac</a>", all, StringComparison.Ordinal);
        Assert.Contains("UDID-ALPHA-0001", all, StringComparison.Ordinal);
        Assert.Contains("SERIAL-ALPHA", all, StringComparison.Ordinal);
        Assert.Contains("macOS 15.1", all, StringComparison.Ordinal);
        Assert.Contains("never signed", all, StringComparison.Ordinal);
        Assert.Contains("<label for=\"search\">Search</label>", all, StringComparison.Ordinal);

        foreach (var term in new[] { "beta-mac", "UDID-BETA", "SERIAL-BETA" })
        {
            var found = await client.GetHtmlAsync("/console/computers?search=" + Uri.EscapeDataString(term));
            Assert.Contains("beta-mac", found, StringComparison.Ordinal);
            Assert.DoesNotContain("alpha-mac", found, StringComparison.Ordinal);
        }

        Assert.Contains("No computer matches these filters.", await client.GetHtmlAsync("/console/computers?search=nothing-like-this"),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIsPaged()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        var devices = new List<TestDevice>();
        for (var i = 0; i < 27; i++)
        {
            devices.Add(await NamedComputers.EnrollAsync(http, token, $"UDID-PAGED-{i:D4}", $"mac-{i:D2}"));
        }

        var client = await app.LoggedInAsync();
        var first = await client.GetHtmlAsync("/console/computers");
        Assert.Contains("Page 1 of 2 (27 in all)", first, StringComparison.Ordinal);
        Assert.Contains(">mac-24</a>", first, StringComparison.Ordinal);
        Assert.DoesNotContain(">mac-25</a>", first, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/computers?pageNumber=2\" rel=\"next\"", first, StringComparison.Ordinal);

        var second = await client.GetHtmlAsync("/console/computers?pageNumber=2");
        Assert.Contains(">mac-25</a>", second, StringComparison.Ordinal);
        Assert.Contains(">mac-26</a>", second, StringComparison.Ordinal);
        Assert.DoesNotContain(">mac-24</a>", second, StringComparison.Ordinal);
        Assert.Contains(">mac-26</a>", await client.GetHtmlAsync("/console/computers?pageNumber=99"), StringComparison.Ordinal);
        devices.ForEach(d => d.Dispose());
    }

    [Fact]
    public async Task DetailShowsCertificateInventoryAndHistory()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-DETAIL-1", "detail-mac", "SERIAL-DETAIL");
        using (var signed = device.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            var inventory = new Signet.Protocol.Wire.InventoryDocument
            {
                CollectedAt = app.Time.GetUtcNow(),
                OperatingSystem = new("macOS", "15.1", "24.1.0", "arm64"),
                Hardware = new("Mac15,3", "SERIAL-DETAIL", "Apple M3", 8, 16L * 1024 * 1024 * 1024),
                Applications = [new("Safari", "18.1", "system"), new("Xcode", "16.1", "app-store")],
            };
            var sent = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(signed,
                new Uri("/agent/v1/inventory", UriKind.Relative), inventory, Signet.Protocol.Wire.SignetJson.Options);
            Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        }

        var client = await app.LoggedInAsync();
        var html = await client.GetHtmlAsync($"/console/computers/{device.ComputerId}");
        Assert.Contains("<h1>detail-mac</h1>", html, StringComparison.Ordinal);
        Assert.Contains("UDID-DETAIL-1", html, StringComparison.Ordinal);
        Assert.Contains("SERIAL-DETAIL", html, StringComparison.Ordinal);
        Assert.Contains(device.Certificate.Subject, html, StringComparison.Ordinal);
        Assert.Contains(device.Certificate.SerialNumber, html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(string.Join(":<wbr>", System.Security.Cryptography.SHA256.HashData(device.Certificate.RawData)
            .Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))), html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"status good\">current</span>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"certificate-history\"", html, StringComparison.Ordinal);
        Assert.Contains("Apple M3", html, StringComparison.Ordinal);
        Assert.Contains("16.0 GiB", html, StringComparison.Ordinal);
        Assert.Contains("Applications (2 of 2)", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"status good\">valid</span>", html, StringComparison.Ordinal);
        Assert.Contains(">Revoke certificate</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownComputerIsNotFound()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        foreach (var path in new[] { "/console/computers/no-such-id", "/console/computers/no-such-id/revoke" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Computer not found</h1>", html, StringComparison.Ordinal);
            Assert.Contains("<title>Computer not found", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/console/settings\">Settings</a>", html, StringComparison.Ordinal); // inside the layout
        }

        var revoke = await client.PostFormAsync("/console/computers/no-such-id/revoke", [], "/console/computers");
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
    }

    [Fact]
    public async Task RevokeAsksFirstThenRevokesAndTheComputersSignedRequestsAreRefused()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-REVOKE-1", "revoke-mac");
        using var signed = device.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        var client = await app.LoggedInAsync();

        var question = await client.GetHtmlAsync($"/console/computers/{device.ComputerId}/revoke");
        Assert.Contains("<h1>Revoke certificate of revoke-mac?</h1>", question, StringComparison.Ordinal);
        Assert.Contains("<span class=\"status good\">current</span>",
            await client.GetHtmlAsync($"/console/computers/{device.ComputerId}"), StringComparison.Ordinal); // asking changed nothing

        var revoked = await client.PostFormAsync($"/console/computers/{device.ComputerId}/revoke", []);
        var detail = await client.FollowAsync(revoked);
        Assert.Contains("was revoked", detail, StringComparison.Ordinal);
        Assert.Contains("id=\"certificate-status\"><span class=\"status bad\">revoked</span>", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(">Revoke certificate</button>", detail, StringComparison.Ordinal);

        // Its last signature was valid, but without a current certificate it would be refused: readiness says so.
        var readiness = await client.GetHtmlAsync("/console/settings/security");
        var refusedRow = readiness[readiness.IndexOf("id=\"would-be-refused\"", StringComparison.Ordinal)..];
        Assert.Contains(">revoke-mac</a>", refusedRow, StringComparison.Ordinal);
        Assert.Contains("<td>valid</td>", refusedRow, StringComparison.Ordinal);
        Assert.Contains("<td>no</td>", refusedRow, StringComparison.Ordinal);

        var settings = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "true", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
            ["ConfirmLockout"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        var refused = await AgentApi.CheckInAsync(signed);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("urn:signet:problem:certificate-revoked", await ProblemResponses.ProblemTypeAsync(refused));

        var audit = await client.GetHtmlAsync("/console/audit?action=certificate.revoked");
        Assert.Contains(device.ComputerId, audit, StringComparison.Ordinal);

        // A second revoke finds nothing to revoke and says so.
        var again = await client.PostFormAsync($"/console/computers/{device.ComputerId}/revoke", []);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("no current certificate to revoke", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
