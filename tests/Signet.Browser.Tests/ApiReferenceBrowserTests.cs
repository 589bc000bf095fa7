using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Signet.Browser.Tests;

/// <summary>The interactive API reference renders in a real browser from the server's own assets: a server on a
/// network without the internet still documents itself.</summary>
public sealed class ApiReferenceBrowserTests
{
    [BrowserFact]
    public async Task ReferencePageRendersTheOperationsWithoutLoadingAnythingFromAnotherSite()
    {
        await using var host = await BrowserHost.StartAsync();
        var page = await host.NewPageAsync();
        var elsewhere = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host == host.BaseAddress.Host)
            {
                await route.ContinueAsync();
                return;
            }

            lock (elsewhere)
            {
                elsewhere.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });

        await page.GotoAsync("/api/reference");

        // Operations render as headings named by their summaries (the tagged ones further down render as they scroll in).
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "The CA certificate chain (PEM); check its SHA-256 fingerprint before trusting it" }))
            .ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Signet", Exact = true }).First).ToBeVisibleAsync();
        lock (elsewhere)
        {
            Assert.Empty(elsewhere);
        }
    }
}
