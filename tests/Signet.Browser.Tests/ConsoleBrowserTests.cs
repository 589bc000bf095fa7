using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Signet.Browser.Tests;

public sealed class ConsoleBrowserTests
{
    [BrowserFact]
    public async Task OriginalFlowEnablesCertificateBasedCommunicationAndTheNextUnsignedRequestIsRefused()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-FLOW", "flow-mac");
        using var signed = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Computer Management", Exact = true }).ClickAsync();
        var framework = page.Locator("section", new()
        {
            Has = page.GetByRole(AriaRole.Heading, new() { Name = "Computer Management\u2013Management Framework", Exact = true }),
        });
        await framework.GetByRole(AriaRole.Link, new() { Name = "Security", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Security", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("#value-certificate-based-communication")).ToHaveTextAsync("Disabled");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Maximum clock skew")).ToHaveValueAsync("300");
        await Expect(page.GetByLabel("Device certificate lifetime")).ToHaveValueAsync("365");
        await page.GetByLabel("Enable certificate-based communication").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The Security settings were saved");
        await Expect(page.Locator("#value-certificate-based-communication")).ToHaveTextAsync("Enabled");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);

        var refused = await AgentApi.UnsignedCheckInAsync(host.Http, device.Udid);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("urn:signet:problem:signature-required", await ProblemResponses.ProblemTypeAsync(refused));
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
    }

    [BrowserFact]
    public async Task ReadinessListsAComputerThatNeverSignedAndEnablingAsksForConfirmation()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var silent = await NamedComputers.EnrollAsync(host.Http, token, "UDID-NEVER-SIGNED", "never-signed-mac");

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.GotoAsync("/console/settings/security");
        await Expect(page.Locator("#not-ready-count")).ToHaveTextAsync("1");
        var row = page.Locator("#would-be-refused tbody tr", new() { HasText = "never-signed-mac" });
        await Expect(row).ToContainTextAsync("never signed");
        await Expect(row).ToContainTextAsync("UDID-NEVER-SIGNED");

        await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
        await page.GetByLabel("Enable certificate-based communication").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 computer would be refused");
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.UnsignedCheckInAsync(host.Http, silent.Udid)).StatusCode); // not yet

        await page.GetByLabel("Enable anyway and refuse these computers").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("#value-certificate-based-communication")).ToHaveTextAsync("Enabled");
        Assert.Equal(HttpStatusCode.Unauthorized, (await AgentApi.UnsignedCheckInAsync(host.Http, silent.Udid)).StatusCode);
    }

    [BrowserFact]
    public async Task RevokingFromTheConsoleMakesTheComputersSignedRequestsRefused()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var device = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-REVOKE", "revoke-mac");
        using var signed = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        using (var enable = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/v1/settings/security", UriKind.Relative)))
        {
            enable.Content = JsonContent.Create(new { certificateBasedCommunication = true });
            enable.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(enable)).StatusCode);
        }

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Computers", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "revoke-mac", Exact = true }).ClickAsync();
        await Expect(page.Locator("#certificate-status")).ToHaveTextAsync("current");
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke certificate" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Revoke certificate of revoke-mac?");
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode); // asking revokes nothing
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke certificate" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was revoked");
        await Expect(page.Locator("#certificate-status")).ToHaveTextAsync("revoked");
        var refused = await AgentApi.CheckInAsync(signed);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("urn:signet:problem:certificate-revoked", await ProblemResponses.ProblemTypeAsync(refused));
    }

    [BrowserFact]
    public async Task ApprovingAHeldEnrollmentFromTheConsoleGivesTheAgentItsCertificate()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        using var enrolled = await NamedComputers.EnrollAsync(host.Http, token, "UDID-BROWSER-HELD", "reimaged-mac", "C02-OLD");
        var held = await NamedComputers.EnrollAgainHeldAsync(host.Http, token, "UDID-BROWSER-HELD", "reimaged-mac", "C02-NEW");
        Assert.Equal(HttpStatusCode.Accepted, (await held.PollAsync(host.Http)).StatusCode);

        var page = await host.NewPageAsync();
        await BrowserHost.LogInAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Computers", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "1 enrollment request waits for approval" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enrollment requests");
        var request = page.Locator("section.request", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "reimaged-mac", Level = 2 }) });
        var serialRow = request.GetByRole(AriaRole.Row, new() { Name = "Serial number" });
        await Expect(serialRow).ToContainTextAsync("C02-NEW");
        await Expect(serialRow).ToContainTextAsync("C02-OLD");
        await Expect(serialRow).ToContainTextAsync("differs");

        await request.GetByRole(AriaRole.Link, new() { Name = "Approve reimaged-mac" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Approve the enrollment of reimaged-mac?");
        Assert.Equal(HttpStatusCode.Accepted, (await held.PollAsync(host.Http)).StatusCode); // asking approves nothing
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(
            "Approved the enrollment of reimaged-mac: the computer receives its new certificate");
        await Expect(page.Locator("#no-requests")).ToBeVisibleAsync();
        using var reenrolled = await held.ApprovedAsync(host.Http);
        Assert.Equal(enrolled.ComputerId, reenrolled.ComputerId);
        using var signed = reenrolled.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
    }

    [BrowserFact]
    public async Task RepeatedWrongPasswordsLockTheAccount()
    {
        await using var host = await BrowserHost.StartAsync();
        var page = await host.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await BrowserHost.LogInAsync(page, "not-the-password");
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }

        await BrowserHost.LogInAsync(page);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The account is locked");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login"));
        await page.GotoAsync("/console/settings");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/login\\?returnUrl="));
    }

    [BrowserFact]
    public async Task KeyboardAloneLogsInAndReachesSettings()
    {
        await using var host = await BrowserHost.StartAsync();
        var page = await host.NewPageAsync();
        await page.GotoAsync("/console/login");
        await Expect(page.GetByLabel("Username")).ToBeFocusedAsync(); // autofocus
        await page.Keyboard.TypeAsync("admin");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(BrowserHost.Password);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Overview");

        // The first Tab lands on the skip link; then the header's links in order, Settings among them.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();
        var settings = page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true });
        for (var i = 0; i < 15 && !await settings.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(settings).ToBeFocusedAsync();
        var outline = await settings.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
        Assert.Equal("solid", outline); // visible focus
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Settings");
    }
}
