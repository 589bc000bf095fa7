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

        await Expect(page.GetByText("Enroll: send a CSR with an invitation", new() { Exact = false }).First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.GetByText("Create an invitation", new() { Exact = false }).First).ToBeAttachedAsync();
        lock (elsewhere)
        {
            Assert.Empty(elsewhere);
        }
    }
}
