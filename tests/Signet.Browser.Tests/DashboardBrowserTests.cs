using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Signet.Browser.Tests;

/// <summary>The console as an administrator uses it to find locked-out computers: the overview, the computers list,
/// a computer's page, the Check-In settings, the audit log and invitations, on real data at phone and desktop widths.</summary>
public sealed partial class DashboardBrowserTests
{
    private static readonly int[] Widths = [1280, 390];

    [GeneratedRegex(@"\w+ \{ .* = .* \}")]
    private static partial Regex RecordDump();

    [BrowserFact]
    public async Task ARefusedRequestChangesTheOverviewCountsAndBannerWhichLinkToTheComputer()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-LOCKED", "locked-out-mac");
        using var signed = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#lockout-banner")).ToHaveCountAsync(0);
        await Expect(page.Locator("#no-refusals")).ToBeVisibleAsync();
        await Expect(page.Locator("#outcome-counts a[href='/console/computers?status=valid']")).ToContainTextAsync("1");

        await SendAsync(host, HttpMethod.Put, "/api/v1/settings/security", token, new { certificateBasedCommunication = true });
        await SendAsync(host, HttpMethod.Post, $"/api/v1/computers/{device.ComputerId}/revoke-certificate", token);
        var refused = await AgentApi.CheckInAsync(signed);
        Assert.Equal("urn:signet:problem:certificate-revoked", await ProblemResponses.ProblemTypeAsync(refused));

        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/console");
            var banner = page.Locator("#lockout-banner");
            await Expect(banner).ToContainTextAsync("1 computer that signed valid is now refused");
            await Expect(banner).ToContainTextAsync("certificate-revoked");
            await Expect(page.Locator("#refused-counts a[href='/console/audit?action=agent.requests.refused&code=certificate-revoked']"))
                .ToContainTextAsync("1");
            await Expect(page.Locator("#outcome-counts a[href='/console/computers?status=certificate-revoked']")).ToContainTextAsync("1");
            await Expect(page.Locator("#outcome-counts a[href='/console/computers?status=valid']")).ToHaveCountAsync(0);
            await PageChecks.AssertFitsAndAccessibleAsync(page, $"overview at {width} px");
        }

        await page.Locator("#lockout-banner").GetByRole(AriaRole.Link, new() { Name = "locked-out-mac" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("locked-out-mac");
        var refusals = page.Locator("#refusals tbody tr");
        await Expect(refusals).ToHaveCountAsync(1);
        await Expect(refusals).ToContainTextAsync("certificate-revoked");
        await Expect(refusals).ToContainTextAsync("127.0.0.1");
        await Expect(page.Locator("#timeline")).ToContainTextAsync("Certificate revoked");
        await PageChecks.AssertFitsAndAccessibleAsync(page, "computer page");

        // The count links to the list filtered to that outcome, status first.
        await page.GotoAsync("/console");
        await page.Locator("#outcome-counts a[href='/console/computers?status=certificate-revoked']").ClickAsync();
        await Expect(page.Locator("#computers tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#computers thead th").Nth(1)).ToHaveTextAsync("Status");
        await Expect(page.Locator("#computers tbody tr td").Nth(1)).ToHaveTextAsync("certificate-revoked");
    }

    [BrowserFact]
    public async Task ACopiedKeychainsRefusalShowsOnTheComputerWhoseKeyItUsed()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-ORIGINAL", "original-mac");
        using var copy = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress, udid: "UDID-BROWSER-COPY");
        Assert.Equal(HttpStatusCode.Unauthorized, (await AgentApi.CheckInAsync(copy)).StatusCode);

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.GotoAsync($"/console/computers/{device.ComputerId}");
        await Expect(page.Locator("#refusals tbody tr")).ToContainTextAsync("not-enrolled");
        await page.GotoAsync("/console/audit?action=agent.requests.refused");
        var row = page.Locator("#audit tbody tr");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "original-mac" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("127.0.0.1");
    }

    [BrowserFact]
    public async Task ComputersListFitsSortsFiltersAndRevokesASelection()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var a = await NamedComputers.EnrollAsync(host.Http, token, "6F1C2A7E-0B4D-4C1E-9A3F-0000000000A1", "a-very-long-hostname-of-the-finance-department-01");
        using var b = await NamedComputers.EnrollAsync(host.Http, token, "6F1C2A7E-0B4D-4C1E-9A3F-0000000000B2", "b-mac");
        using var c = await NamedComputers.EnrollAsync(host.Http, token, "6F1C2A7E-0B4D-4C1E-9A3F-0000000000C3", "c-mac");
        using (var signed = b.SignedClient(new SocketsHttpHandler(), host.BaseAddress))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/console/computers");
            await Expect(page.Locator("#computers tbody tr")).ToHaveCountAsync(3);
            await PageChecks.AssertFitsAndAccessibleAsync(page, $"computers at {width} px");
        }

        await page.SetViewportSizeAsync(1280, 900);
        await page.GetByLabel("Last signature").SelectOptionAsync("valid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.Locator("#computers tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#computers tbody")).ToContainTextAsync("b-mac");

        await page.GotoAsync("/console/computers");
        await page.GetByRole(AriaRole.Link, new() { Name = "Status", Exact = true }).ClickAsync();
        await Expect(page.Locator("#computers thead th[aria-sort=ascending]")).ToHaveTextAsync("Status");
        await Expect(page.Locator("#computers tbody tr").Last).ToContainTextAsync("b-mac"); // valid last: attention first

        await page.GetByLabel("Select b-mac").CheckAsync();
        await page.GetByLabel("Select c-mac").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke certificates" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Revoke the certificates of 2 computers?");
        await Expect(page.Locator("#bulk-selection li")).ToHaveCountAsync(2);
        await PageChecks.AssertFitsAndAccessibleAsync(page, "bulk confirmation");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke the certificates of 2 computers" }).ClickAsync();
        await Expect(page.Locator("#bulk-results li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#bulk-results")).ToContainTextAsync("was revoked");
        await Expect(page.Locator("#bulk-results")).Not.ToContainTextAsync("were revoked");

        var admin = await SendAsync(host, HttpMethod.Get, $"/api/v1/computers/{b.ComputerId}", token);
        Assert.Equal("revoked", admin.GetProperty("certificate").GetProperty("status").GetString());
        var untouched = await SendAsync(host, HttpMethod.Get, $"/api/v1/computers/{a.ComputerId}", token);
        Assert.Equal("current", untouched.GetProperty("certificate").GetProperty("status").GetString());
    }

    [BrowserFact]
    public async Task CheckInPageSavesAndTheNextCheckInAnswersTheNewInterval()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-CHECKIN", "checkin-mac");
        using var signed = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
        Assert.Equal(900, await IntervalAsync(signed));

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Computer Management", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Check-In", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check-In", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#value-check-in-interval")).ToHaveTextAsync("15 minutes (900 seconds)");
        await PageChecks.AssertFitsAndAccessibleAsync(page, "check-in view");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await PageChecks.AssertFitsAndAccessibleAsync(page, "check-in edit");
        await page.GetByLabel("Check-in interval").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator(".field-error")).ToContainTextAsync("Must be between 10 and 86400 seconds.");
        Assert.Equal(900, await IntervalAsync(signed)); // refused: nothing changed

        await page.GetByLabel("Check-in interval").FillAsync("120");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("every 2 minutes from their next check-in");
        await Expect(page.Locator("#value-check-in-interval")).ToHaveTextAsync("2 minutes (120 seconds)");
        Assert.Equal(120, await IntervalAsync(signed));
    }

    [BrowserFact]
    public async Task AuditLogShowsChangesFieldByFieldNeverRecordDumps()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-AUDIT", "audited-mac");
        await SendAsync(host, HttpMethod.Put, "/api/v1/settings/security", token, new { certificateBasedCommunication = true, maximumClockSkewSeconds = 120 });
        await SendAsync(host, HttpMethod.Put, "/api/v1/settings/check-in", token, new { checkInIntervalSeconds = 600 });
        await SendAsync(host, HttpMethod.Post, $"/api/v1/computers/{device.ComputerId}/revoke-certificate", token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await AgentApi.UnsignedCheckInAsync(host.Http, device.Udid)).StatusCode);

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        foreach (var width in Widths)
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.GotoAsync("/console/audit");
            var text = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotMatch(RecordDump(), text);
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            await PageChecks.AssertFitsAndAccessibleAsync(page, $"audit at {width} px");
        }

        var settings = page.Locator("#audit tbody tr", new() { HasText = "Security settings changed" });
        await Expect(settings).ToContainTextAsync("certificateBasedCommunication");
        await Expect(settings.Locator(".old").First).ToHaveTextAsync("false");
        await Expect(settings.Locator(".new").First).ToHaveTextAsync("true");
        await Expect(settings).ToContainTextAsync("maximumClockSkewSeconds");
        await Expect(page.Locator("#audit tbody tr", new() { HasText = "Check-In settings changed" })).ToContainTextAsync("900 → 600");
        var revoked = page.Locator("#audit tbody tr", new() { HasText = "Certificate revoked" });
        await revoked.GetByRole(AriaRole.Link, new() { Name = "audited-mac" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("audited-mac");

        await page.GetByRole(AriaRole.Link, new() { Name = "All audit events of this computer" }).ClickAsync();
        await Expect(page.Locator("#audit tbody tr", new() { HasText = "Certificate revoked" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#audit tbody tr", new() { HasText = "Security settings changed" })).ToHaveCountAsync(0);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith("time,actor,action,subject,subject name,source,details", csv, StringComparison.Ordinal);
        Assert.Contains("certificate.revoked", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("settings.security.changed", csv, StringComparison.Ordinal);
    }

    [BrowserFact]
    public async Task InvitationHasANameACopyButtonAFingerprintThatNeverWrapsMidPairAndAskedBeforeDelete()
    {
        await using var host = await BrowserHost.StartAsync();
        var page = await host.NewPageAsync(390, 844);
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await BrowserHost.LogInAsync(page);
        await page.GotoAsync("/console/invitations");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Finance laptops");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitation Finance laptops created" })).ToBeVisibleAsync();
        var command = await page.Locator("#enroll-command").InnerTextAsync();
        Assert.Matches(new Regex("--ca-fingerprint ([0-9A-F]{2}:){31}[0-9A-F]{2}$"), command.Trim());
        Assert.Empty(await PageChecks.FingerprintBreaksInsidePairsAsync(page, "#enroll-command .fingerprint"));
        await PageChecks.AssertFitsAndAccessibleAsync(page, "invitation created at 390 px");

        // The enroll command's button comes first; the install command below it has its own.
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy command" }).First.ClickAsync();
        await Expect(page.Locator(".copy-status").First).ToHaveTextAsync("Copied.");
        Assert.Equal(command.Trim(), await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        var row = page.Locator("#invitations tbody tr", new() { HasText = "Finance laptops" });
        await row.GetByRole(AriaRole.Link, new() { Name = "Delete invitation Finance laptops" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Delete invitation Finance laptops?");
        await PageChecks.AssertFitsAndAccessibleAsync(page, "delete invitation");
        await page.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator("#invitations tbody tr", new() { HasText = "Finance laptops" })).ToHaveCountAsync(1); // asking deleted nothing

        // Used up: moved to the second list.
        var code = Regex.Match(command, "--invitation (\\S+)").Groups[1].Value;
        using var device = await NamedComputers.EnrollWithCodeAsync(host.Http, code, "UDID-BROWSER-INVITED", "invited-mac");
        await page.ReloadAsync();
        await Expect(page.Locator("#no-invitations")).ToBeVisibleAsync();
        await Expect(page.Locator("#finished-invitations tbody tr", new() { HasText = "Finance laptops" })).ToContainTextAsync("used up");
        await PageChecks.AssertFitsAndAccessibleAsync(page, "invitations at 390 px");
    }

    [BrowserFact]
    public async Task AnUnknownConsoleAddressShowsAConsolePageNotJson()
    {
        await using var host = await BrowserHost.StartAsync();
        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        var response = await page.GotoAsync("/console/nope");
        Assert.Equal(404, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync();
        await PageChecks.AssertFitsAndAccessibleAsync(page, "404 page");
    }

    private static async Task<int> IntervalAsync(HttpClient signed)
    {
        var response = await AgentApi.CheckInAsync(signed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checkInIntervalSeconds").GetInt32();
    }

    private static async Task<JsonElement> SendAsync(BrowserHost host, HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await host.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
