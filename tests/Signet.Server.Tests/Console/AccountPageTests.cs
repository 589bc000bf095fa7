using System.Net;
using System.Net.Http.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests.Console;

public sealed class AccountPageTests
{
    [Fact]
    public async Task RepeatedWrongPasswordsLockTheAccountForConsoleAndApiAlike()
    {
        await using var app = new ConsoleApp(); // MaxFailedLogins = 3
        var client = app.Browser();
        for (var i = 0; i < 3; i++)
        {
            _ = await client.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = "wrong-password" });
        }

        var locked = await client.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = ConsoleApp.Password });
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("The account is locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var api = await app.CreateClient().PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { username = "admin", password = ConsoleApp.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);

        app.Time.Advance(TimeSpan.FromMinutes(16));
        await app.LoggedInAsync();
    }

    [Fact]
    public async Task FailuresThroughTheApiCountTowardsTheConsoleLockout()
    {
        await using var app = new ConsoleApp();
        for (var i = 0; i < 3; i++)
        {
            _ = await app.CreateClient().PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new { username = "admin", password = "nope-nope" });
        }

        var locked = await app.Browser().PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = ConsoleApp.Password });
        Assert.Contains("The account is locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogoutEndsTheSession()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var logout = await client.PostFormAsync("/console/logout", [], "/console");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal("/console/login", logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        var audit = await (await app.LoggedInAsync()).GetHtmlAsync("/console/audit?action=admin.logout");
        Assert.Contains(">admin.logout<", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratedPasswordShowsAReminderUntilItIsChanged()
    {
        await using var app = new ConsoleApp { GeneratedPassword = true };
        _ = app.Server; // first start writes the password file
        var generated = app.GeneratedPasswordFromFile();
        var client = await app.LoggedInAsync(generated);
        var otherSession = await app.LoggedInAsync(generated);
        Assert.Contains("You are still using the generated initial password.", await client.GetHtmlAsync("/console"), StringComparison.Ordinal);

        var mismatch = await client.PostFormAsync("/console/change-password", new()
        {
            ["CurrentPassword"] = generated, ["NewPassword"] = "a brand new passphrase", ["ConfirmPassword"] = "something else entirely",
        });
        Assert.Contains("differ", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tooShort = await client.PostFormAsync("/console/change-password", new()
        {
            ["CurrentPassword"] = generated, ["NewPassword"] = "short", ["ConfirmPassword"] = "short",
        });
        Assert.Contains("at least 12 characters", await tooShort.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var changed = await client.PostFormAsync("/console/change-password", new()
        {
            ["CurrentPassword"] = generated, ["NewPassword"] = "a brand new passphrase", ["ConfirmPassword"] = "a brand new passphrase",
        });
        var html = await changed.Content.ReadAsStringAsync();
        Assert.Contains("Your password was changed.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("You are still using the generated initial password.", html, StringComparison.Ordinal);

        // The session that changed it goes on; any other session made with the old password has ended.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await otherSession.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);

        var fresh = app.Browser();
        var old = await fresh.PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = generated });
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        await app.LoggedInAsync("a brand new passphrase");
        Assert.Contains(">admin.password.changed<", await client.GetHtmlAsync("/console/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PasswordChangeEndsEveryTokenAndEveryOtherConsoleSession()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var tokens = new[] { await AdminApiCalls.TokenAsync(http, ConsoleApp.Password), await AdminApiCalls.TokenAsync(http, ConsoleApp.Password) };
        var client = await app.LoggedInAsync();
        var otherSession = await app.LoggedInAsync();
        foreach (var token in tokens)
        {
            Assert.Equal(HttpStatusCode.OK, (await WithToken(http, token)).StatusCode);
        }

        var changed = await client.PostFormAsync("/console/change-password", new()
        {
            ["CurrentPassword"] = ConsoleApp.Password, ["NewPassword"] = "a brand new passphrase", ["ConfirmPassword"] = "a brand new passphrase",
        });
        Assert.Contains("Your password was changed.", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var token in tokens)
        {
            await (await WithToken(http, token)).AssertProblemAsync(HttpStatusCode.Unauthorized, "validation-failed");
        }

        Assert.Equal(HttpStatusCode.Redirect, (await otherSession.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherSession.GetAsync(new Uri("/api/v1/computers", UriKind.Relative))).StatusCode);
        // The session that made the change goes on, and a token from the new password works.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/console", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await WithToken(http, await AdminApiCalls.TokenAsync(http, "a brand new passphrase"))).StatusCode);
        Assert.Contains("every token and other console session of the account ended",
            await client.GetHtmlAsync("/console/audit?action=admin.password.changed"), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> WithToken(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/computers", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ConfiguredPasswordShowsNoReminder()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        Assert.DoesNotContain("generated initial password", await client.GetHtmlAsync("/console"), StringComparison.Ordinal);
    }
}
