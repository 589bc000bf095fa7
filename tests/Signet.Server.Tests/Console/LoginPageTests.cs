using System.Net;

namespace Signet.Server.Tests.Console;

public sealed class LoginPageTests
{
    [Fact]
    public async Task LoginFormHasTheOriginalLabels()
    {
        await using var app = new ConsoleApp();
        var response = await app.Browser().GetAsync(new Uri("/console/login", UriKind.Relative));
        Assert.Contains("frame-ancestors 'none'", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<label for=\"Username\">Username</label>", html, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Password\">Password</label>", html, StringComparison.Ordinal);
        Assert.Contains(">Log in</button>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorrectPasswordStartsASessionAndGoesToTheConsole()
    {
        await using var app = new ConsoleApp();
        var client = app.Browser();
        var response = await client.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = ConsoleApp.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("signet_console=", StringComparison.Ordinal) &&
            c.Contains("httponly", StringComparison.OrdinalIgnoreCase) && c.Contains("samesite=strict", StringComparison.OrdinalIgnoreCase));
        var overview = await client.GetHtmlAsync("/console");
        Assert.Contains("<h1>Overview</h1>", overview, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/settings\">Settings</a>", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPasswordShowsAnErrorAndNoSession()
    {
        await using var app = new ConsoleApp();
        var client = app.Browser();
        var response = await client.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = "wrong-password" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The username or password is wrong.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var overview = await client.GetAsync(new Uri("/console", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
    }

    [Theory]
    [InlineData("/console")]
    [InlineData("/console/settings")]
    [InlineData("/console/settings/computer-management")]
    [InlineData("/console/settings/security")]
    [InlineData("/console/settings/security/edit")]
    [InlineData("/console/computers")]
    [InlineData("/console/invitations")]
    [InlineData("/console/pki")]
    [InlineData("/console/audit")]
    [InlineData("/console/change-password")]
    public async Task PagesRedirectToLoginWhenNotSignedIn(string path)
    {
        await using var app = new ConsoleApp();
        var response = await app.Browser().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("http://localhost/console/login?returnUrl=", location, StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString(path), location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPostWithoutAntiforgeryTokenIsRefused()
    {
        await using var app = new ConsoleApp();
        var client = app.Browser();
        _ = await client.GetHtmlAsync("/console/login"); // the antiforgery cookie alone is not enough
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "admin", ["Password"] = ConsoleApp.Password });
        var response = await client.PostAsync(new Uri("/console/login", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith("signet_console=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignedInFormPostWithoutTokenIsRefusedAndChangesNothing()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["CertificateBasedCommunication"] = "true", ["MaximumClockSkewSeconds"] = "60", ["DeviceCertificateLifetimeDays"] = "30",
        });
        var response = await client.PostAsync(new Uri("/console/settings/security/edit", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var security = await client.GetHtmlAsync("/console/settings/security");
        Assert.Contains("300 seconds", security, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/console/logout")]
    [InlineData("/console/change-password")]
    [InlineData("/console/invitations?handler=Create")]
    [InlineData("/console/invitations/abc/delete")]
    [InlineData("/console/computers/bulk")]
    [InlineData("/console/settings/check-in/edit")]
    [InlineData("/console/computers/some-id/revoke")]
    public async Task EverySignedInFormRefusesAPostWithoutItsToken(string path)
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Uses"] = "1", ["ExpiresInDays"] = "7" });
        var response = await client.PostAsync(new Uri(path, UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("No invitation can enroll a computer now.", await client.GetHtmlAsync("/console/invitations"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode); // still signed in
    }

    [Fact]
    public async Task StylesheetIsServedToAnyoneAndCachedByVersion()
    {
        await using var app = new ConsoleApp();
        var client = app.Browser();
        var login = await client.GetHtmlAsync("/console/login");
        var href = System.Text.RegularExpressions.Regex.Match(login, "href=\"(/console/console\\.css\\?v=[0-9a-f]{12})\"").Groups[1].Value;
        Assert.NotEmpty(href);
        var css = await client.GetAsync(new Uri(href, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains(":focus-visible", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "/console")]
    [InlineData("/login", "/console/login")]
    public async Task ShortAddressesLeadToTheConsole(string path, string target)
    {
        await using var app = new ConsoleApp();
        var response = await app.Browser().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(target, response.Headers.Location!.OriginalString);
    }
}
