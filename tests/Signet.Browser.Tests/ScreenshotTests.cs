using System.Net;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Signet.Protocol.Wire;
using static Microsoft.Playwright.Assertions;

namespace Signet.Browser.Tests;

/// <summary>Renders the main pages at desktop and phone widths into docs/screenshots/ (committed, for review) and checks
/// that no page scrolls sideways: wide tables scroll inside their own box.</summary>
public sealed class ScreenshotTests
{
    [BrowserFact]
    public async Task PagesFitAt1280And390PixelsAndAreSavedAsScreenshots()
    {
        await using var host = await BrowserHost.StartAsync();
        var token = await AdminApiCalls.TokenAsync(host.Http, BrowserHost.Password);
        var devices = new List<TestDevice>();
        string[] names = ["design-imac", "finance-mbp-01", "finance-mbp-02", "lab-mac-mini", "reception-macbook-air"];
        for (var i = 0; i < names.Length; i++)
        {
            devices.Add(await NamedComputers.EnrollAsync(host.Http, token, $"6F1C2A7E-0B4D-4C1E-9A3F-00000000000{i}", names[i], $"C02XK{i}ABCDEF"));
        }

        // Three computers sign; one sends a request without a signature; one never contacts the server.
        foreach (var device in devices.Take(3))
        {
            using var signed = device.SignedClient(new SocketsHttpHandler(), host.BaseAddress);
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.Http.UnsignedCheckInAsync(devices[3].Udid)).StatusCode);
        // The lab Mac was re-imaged and enrolled again with a general invitation: held for approval.
        _ = await NamedComputers.EnrollAgainHeldAsync(host.Http, token, devices[3].Udid, names[3], "C02XK9REIMAGE");
        using (var signed = devices[1].SignedClient(new SocketsHttpHandler(), host.BaseAddress))
        {
            var inventory = new InventoryDocument
            {
                CollectedAt = DateTimeOffset.UtcNow,
                OperatingSystem = new("macOS", "15.1", "24.1.0", "arm64"),
                Hardware = new("Mac15,3", "C02XK1ABCDEF", "Apple M3 Pro", 12, 36L * 1024 * 1024 * 1024),
                Disks = [new("disk3s1", "/", "apfs", 994_662_584_320, 512_000_000_000)],
                NetworkInterfaces = [new("en0", "3c:22:fb:12:34:56", ["192.168.1.23", "fe80::1c2b:3a4f:fe5d:6e7f"])],
                LocalUsers = [new("jordan", 501, "/Users/jordan", "/bin/zsh")],
                Applications = [new("Safari", "18.1", "system"), new("Xcode", "16.1", "app-store"), new("Slack", "4.41", "download")],
            };
            var sent = await signed.PostAsJsonAsync(new Uri("/agent/v1/inventory", UriKind.Relative), inventory, SignetJson.Options);
            Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);
        }

        // The design iMac signed valid, then its certificate was revoked: the overview's banner names it. A copy of the
        // finance laptop's keychain on another machine is refused and filed under the laptop.
        using (var revoke = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/v1/computers/{devices[0].ComputerId}/revoke-certificate", UriKind.Relative)))
        {
            revoke.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(revoke)).StatusCode);
        }

        using (var signed = devices[0].SignedClient(new SocketsHttpHandler(), host.BaseAddress))
        {
            _ = await AgentApi.CheckInAsync(signed);
        }

        using (var copy = devices[2].SignedClient(new SocketsHttpHandler(), host.BaseAddress, udid: "0D3C9B1A-COPIED-KEYCHAIN"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await AgentApi.CheckInAsync(copy)).StatusCode);
        }

        foreach (var width in new[] { 1280, 390 })
        {
            var page = await host.NewPageAsync(width, width > 600 ? 900 : 844);
            await page.GotoAsync("/console/login");
            await SaveAsync(page, "login", width);
            await BrowserHost.LogInAsync(page);
            Assert.Equal(2, await page.Locator("header nav").CountAsync());
            await Expect(page.Locator("#lockout-banner")).ToContainTextAsync("design-imac");
            await SaveAsync(page, "overview", width);

            await page.GotoAsync("/console/settings/security");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Security");
            await SaveAsync(page, "security-view", width);

            await page.GetByRole(AriaRole.Button, new() { Name = "Edit", Exact = true }).ClickAsync();
            await Expect(page.GetByLabel("Enable certificate-based communication")).ToBeVisibleAsync();
            await SaveAsync(page, "security-edit", width);

            await page.GotoAsync("/console/settings/check-in");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Check-In");
            await SaveAsync(page, "check-in-view", width);

            await page.GotoAsync("/console/computers");
            await Expect(page.Locator("#computers")).ToBeVisibleAsync();
            await SaveAsync(page, "computers", width);

            await page.GotoAsync($"/console/computers/{devices[1].ComputerId}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("finance-mbp-01");
            await SaveAsync(page, "computer", width);

            await page.GetByRole(AriaRole.Button, new() { Name = "Allow re-enrollment" }).ClickAsync();
            await Expect(page.Locator("#enroll-command")).ToContainTextAsync("signet enroll --server");
            await SaveAsync(page, "reenrollment-created", width);

            await page.GotoAsync("/console/enrollment-requests");
            await Expect(page.Locator("section.request")).ToHaveCountAsync(1);
            await SaveAsync(page, "enrollment-requests", width);

            await page.GetByRole(AriaRole.Link, new() { Name = "Approve lab-mac-mini" }).ClickAsync();
            await Expect(page.Locator("#to-decide")).ToBeVisibleAsync();
            await SaveAsync(page, "enrollment-approve", width);

            await page.GotoAsync("/console/invitations");
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Finance laptops");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create invitation" }).ClickAsync();
            await Expect(page.Locator("#enroll-command")).ToContainTextAsync("signet enroll --server");
            await SaveAsync(page, "invitation-created", width);

            await page.GotoAsync("/console/pki");
            await SaveAsync(page, "pki", width);

            await page.GotoAsync("/console/audit");
            await SaveAsync(page, "audit", width);

            await page.GotoAsync("/console/nope");
            await SaveAsync(page, "not-found", width);
            await page.Context.CloseAsync();
        }

        devices.ForEach(d => d.Dispose());
    }

    private static async Task SaveAsync(IPage page, string name, int width)
    {
        await PageChecks.AssertFitsAndAccessibleAsync(page, $"{name} at {width} px");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder(), $"{name}-{width}.png"), FullPage = true });
    }

    /// <summary>With SIGNET_SCREENSHOTS=1: docs/screenshots at the repository root (found by walking up to Signet.slnx), to
    /// refresh the committed images. Otherwise the test output folder, so an ordinary test run changes no tracked file.</summary>
    private static string ScreenshotFolder()
    {
        if (Environment.GetEnvironmentVariable("SIGNET_SCREENSHOTS") != "1")
        {
            return Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Signet.slnx")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return Directory.CreateDirectory(Path.Combine(directory.FullName, "docs", "screenshots")).FullName;
    }
}
