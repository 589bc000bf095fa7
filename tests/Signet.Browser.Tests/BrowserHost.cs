using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Signet.Browser.Tests;

/// <summary>A real signet-server on a Kestrel socket at 127.0.0.1 (own temp data folder, real SQLite file) and Debian's
/// Chromium driven by Playwright. One per test: every test starts from a fresh install.</summary>
internal sealed class BrowserHost : IAsyncDisposable
{
    public const string Password = "browser-test-password";

    private readonly SignetHost _server;
    private IPlaywright? _playwright;

    private BrowserHost(SignetHost server) => _server = server;

    public Uri BaseAddress { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>A plain HTTP client against the real socket (the agent and admin APIs).</summary>
    public HttpClient Http { get; private set; } = null!;

    public static async Task<BrowserHost> StartAsync()
    {
        if (!Chromium.IsInstalled)
        {
            // Only reached with CI=true (BrowserFact skips locally): the suite must fail, not pass vacuously.
            throw new InvalidOperationException($"Chromium is not installed at {Chromium.Path}: run 'apt-get install -y chromium'.");
        }

        // Real time: the pages and the simulated computers' signatures run on the same clock as the browser.
        var host = new BrowserHost(new SignetHost(settings: SignetHost.DefaultSettings(Password)) { RealClock = true });
        try
        {
            host._server.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            host._server.StartServer();
            var address = host._server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
                .Addresses.Single();
            host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
            host.Http = new HttpClient { BaseAddress = host.BaseAddress };
            host._playwright = await Playwright.CreateAsync();
            host.Browser = await host._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium.Path,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            });
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh browser profile (no cookies) with a page of the given width.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Logs in through the form, the way a person does.</summary>
    public static async Task LogInAsync(IPage page, string password = Password)
    {
        await page.GotoAsync("/console/login");
        await page.GetByLabel("Username").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Http?.Dispose();
        await _server.DisposeAsync();
    }
}

/// <summary>Where Debian's Chromium lives, and whether its absence fails or skips the suite.</summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(Path);

    /// <summary>On CI the suite must run: a missing browser is a failure there, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A browser test: skipped with a reason when Chromium is missing locally; run (and failing) when it is missing on CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!Chromium.IsInstalled && !Chromium.IsCi)
        {
            Skip = $"Chromium is not installed at {Chromium.Path} (apt-get install chromium); with CI=true this test fails instead.";
        }
    }
}
