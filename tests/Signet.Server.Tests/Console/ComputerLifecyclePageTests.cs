using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Signet.Server.Tests.Console;

/// <summary>Allow re-enrollment and Delete on a computer's page.</summary>
public sealed partial class ComputerLifecyclePageTests
{
    private static readonly Uri AgentBase = new("http://localhost/");

    [GeneratedRegex("--invitation ([^ ]+) --ca-fingerprint ([0-9A-F]{2}(?::[0-9A-F]{2}){31})")]
    private static partial Regex CommandPattern();

    [Fact]
    public async Task AllowReenrollmentShowsACommandWhoseCodeOnlyThisComputerCanUse()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-REIMAGED-1", "reimaged-mac");
        using var other = await NamedComputers.EnrollAsync(http, token, "UDID-OTHER-2", "other-mac");
        var client = await app.LoggedInAsync();
        var detailPath = $"/console/computers/{device.ComputerId}";
        Assert.Contains(">Allow re-enrollment</button>", await client.GetHtmlAsync(detailPath), StringComparison.Ordinal);

        var created = await client.PostFormAsync($"{detailPath}?handler=AllowReenrollment", [], detailPath);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        Assert.Contains("Re-enrollment invitation created", html, StringComparison.Ordinal);
        Assert.Contains("the invitation code is shown only this once", html, StringComparison.Ordinal);
        Assert.Contains("<code>signet enroll --server http://localhost --invitation ", html, StringComparison.Ordinal);
        Assert.Contains($"expires {Signet.Server.WebConsole.ConsoleFormat.Time(app.Time.GetUtcNow().AddHours(24))} (24 hours)", html, StringComparison.Ordinal);
        Assert.Contains("Only this computer", html, StringComparison.Ordinal);
        var command = CommandPattern().Match(WebUtility.HtmlDecode(InvitationsPageTests.CommandText(html)));
        Assert.True(command.Success, "the page shows the enroll command");
        var code = command.Groups[1].Value;
        Assert.DoesNotContain(code, await client.GetHtmlAsync(detailPath), StringComparison.Ordinal); // shown once

        // Another computer cannot use it.
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var refused = await NamedComputers.PostEnrollAsync(http, code, key, "UDID-OTHER-2", "other-mac", "SERIAL");
            Assert.Equal("urn:signet:problem:invitation-invalid", await ProblemResponses.ProblemTypeAsync(refused));
        }

        // This computer, with a new key, enrolls at once: no approval.
        using var reenrolled = await NamedComputers.EnrollWithCodeAsync(http, code, "UDID-REIMAGED-1", "reimaged-mac");
        Assert.Equal(device.ComputerId, reenrolled.ComputerId);
        using var signed = reenrolled.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        Assert.Contains(reenrolled.Certificate.SerialNumber, await client.GetHtmlAsync(detailPath), StringComparison.OrdinalIgnoreCase);

        var missing = await client.PostFormAsync("/console/computers/no-such-id?handler=AllowReenrollment", [], detailPath);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task DeleteAsksFirstThenRemovesTheComputerRefusesItsCertificateAndAudits()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-DELETE-1", "retired-mac");
        using var signed = device.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        var client = await app.LoggedInAsync();
        var deletePath = $"/console/computers/{device.ComputerId}/delete";

        Assert.Contains(">Delete computer</button>", await client.GetHtmlAsync($"/console/computers/{device.ComputerId}"), StringComparison.Ordinal);
        var question = await client.GetHtmlAsync(deletePath);
        Assert.Contains("<h1>Delete retired-mac?</h1>", question, StringComparison.Ordinal);
        Assert.Contains("will be revoked", question, StringComparison.Ordinal);
        Assert.Contains("can come back only by enrolling with a new invitation", question, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode); // asking deletes nothing

        var deleted = await client.PostFormAsync(deletePath, []);
        Assert.Equal("/console/computers", deleted.Headers.Location?.OriginalString);
        var list = await client.FollowAsync(deleted);
        Assert.Contains("retired-mac was deleted and its certificates revoked.", list, StringComparison.Ordinal);
        Assert.DoesNotContain($"href=\"/console/computers/{device.ComputerId}\"", list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri($"/console/computers/{device.ComputerId}", UriKind.Relative))).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await AgentApi.CheckInAsync(signed)).StatusCode);
        var audit = await client.GetHtmlAsync("/console/audit?action=computer.deleted");
        Assert.Contains(device.ComputerId, audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">UDID-DELETE-1</span>", audit, StringComparison.Ordinal);

        // Gone: asking or posting again is a 404 page, not an error.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri(deletePath, UriKind.Relative))).StatusCode);
        var again = await client.PostFormAsync(deletePath, [], "/console/computers");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("<h1>Computer not found</h1>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Its UDID can enroll again, as a new computer, with a new invitation.
        using var returned = await NamedComputers.EnrollAsync(http, token, "UDID-DELETE-1", "retired-mac");
        Assert.NotEqual(device.ComputerId, returned.ComputerId);
    }
}
