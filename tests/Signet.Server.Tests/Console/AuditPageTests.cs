namespace Signet.Server.Tests.Console;

public sealed class AuditPageTests
{
    [Fact]
    public async Task FiltersByComputerLinksSubjectsAndExportsTheSelectionAsCsv()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var first = await NamedComputers.EnrollAsync(http, token, "UDID-AUDIT-1", "audited-mac");
        using var second = await NamedComputers.EnrollAsync(http, token, "UDID-AUDIT-2", "other-mac");
        var client = await app.LoggedInAsync();

        var page = await client.GetHtmlAsync($"/console/audit?computer={first.ComputerId}");
        var table = Table(page);
        Assert.Contains($"<a href=\"/console/computers/{first.ComputerId}\">audited-mac</a>", table, StringComparison.Ordinal);
        Assert.DoesNotContain("other-mac", table, StringComparison.Ordinal);
        Assert.Contains("Events of audited-mac.", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">udid</span>", table, StringComparison.Ordinal);

        var csv = await client.GetAsync(new Uri($"/console/audit?computer={first.ComputerId}&handler=csv", UriKind.Relative));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", csv.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time,actor,action,subject,subject name,source,details", lines[0]);
        var enrolled = Assert.Single(lines.Skip(1));
        Assert.Contains($",computer.enrolled,{first.ComputerId},audited-mac,", enrolled, StringComparison.Ordinal);
        Assert.Contains("udid: UDID-AUDIT-1", enrolled, StringComparison.Ordinal);
        Assert.DoesNotContain("{", enrolled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiltersByActionActorAndTimeNewestFirst()
    {
        await using var app = new ConsoleApp();
        var start = app.Time.GetUtcNow();
        var client = await app.LoggedInAsync(); // admin.login.succeeded at start
        app.Time.Advance(TimeSpan.FromHours(1));
        _ = await client.PostFormAsync("/console/invitations?handler=Create", new() { ["Uses"] = "1", ["ExpiresInDays"] = "7" }, "/console/invitations");
        app.Time.Advance(TimeSpan.FromHours(1));
        _ = await app.Browser().PostFormAsync("/console/login", new() { ["Username"] = "admin", ["Password"] = "wrong-password" });

        var all = Table(await client.GetHtmlAsync("/console/audit"));
        var failed = all.IndexOf(">admin.login.failed<", StringComparison.Ordinal);
        var created = all.IndexOf(">invitation.created<", StringComparison.Ordinal);
        var succeeded = all.IndexOf(">admin.login.succeeded<", StringComparison.Ordinal);
        Assert.True(failed > 0 && failed < created && created < succeeded, "newest first");

        var byActionPage = await client.GetHtmlAsync("/console/audit?action=invitation.created");
        Assert.Contains("<option value=\"invitation.created\" selected=\"selected\">", byActionPage, StringComparison.Ordinal);
        var byAction = Table(byActionPage);
        Assert.Contains(">invitation.created<", byAction, StringComparison.Ordinal);
        Assert.DoesNotContain(">admin.login.succeeded<", byAction, StringComparison.Ordinal);

        // The failed login's actor is the client address, not "admin".
        var byActor = Table(await client.GetHtmlAsync("/console/audit?actor=admin"));
        Assert.Contains(">invitation.created<", byActor, StringComparison.Ordinal);
        Assert.DoesNotContain(">admin.login.failed<", byActor, StringComparison.Ordinal);

        string At(TimeSpan offset) => Uri.EscapeDataString(start.Add(offset).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        var window = Table(await client.GetHtmlAsync($"/console/audit?from={At(TimeSpan.FromMinutes(30))}&to={At(TimeSpan.FromMinutes(90))}"));
        Assert.Contains(">invitation.created<", window, StringComparison.Ordinal);
        Assert.DoesNotContain(">admin.login.succeeded<", window, StringComparison.Ordinal);
        Assert.DoesNotContain(">admin.login.failed<", window, StringComparison.Ordinal);

        Assert.Contains("Enter a date and time", await client.GetHtmlAsync("/console/audit?from=yesterday"), StringComparison.Ordinal);
    }

    /// <summary>The events table only: the action filter lists every action name as a choice.</summary>
    private static string Table(string html)
    {
        var start = html.IndexOf("id=\"audit\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the page has an events table");
        return html[start..];
    }
}
