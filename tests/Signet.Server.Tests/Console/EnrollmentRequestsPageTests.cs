using System.Net;

namespace Signet.Server.Tests.Console;

public sealed class EnrollmentRequestsPageTests
{
    private static readonly Uri AgentBase = new("http://localhost/");

    [Fact]
    public async Task PendingRequestIsListedWithTheEvidenceBesideTheEnrolledComputer()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var enrolled = await NamedComputers.EnrollAsync(http, token, "UDID-HELD-0001", "held-mac", "SERIAL-OLD");
        using (var signed = enrolled.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        app.Time.Advance(TimeSpan.FromHours(2));
        var held = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-HELD-0001", "held-mac-new", "SERIAL-NEW");
        var client = await app.LoggedInAsync();

        Assert.Contains("1 enrollment request waits for approval</a>", await client.GetHtmlAsync("/console/computers"), StringComparison.Ordinal);
        Assert.Contains("1 enrollment request waits for approval</a>", await client.GetHtmlAsync("/console"), StringComparison.Ordinal);

        var list = await client.GetHtmlAsync("/console/enrollment-requests");
        Assert.Contains("aria-current=\"page\">Pending (1)</a>", list, StringComparison.Ordinal);
        Assert.Contains($"id=\"select-{held.RequestId}\"", list, StringComparison.Ordinal);
        var evidence = list[list.IndexOf($"id=\"request-{held.RequestId}\"", StringComparison.Ordinal)..];
        Assert.Contains(">held-mac-new</h2>", evidence, StringComparison.Ordinal);
        Assert.Contains("UDID-HELD-0001", evidence, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/console/computers/{enrolled.ComputerId}\">Enrolled computer</a>", evidence, StringComparison.Ordinal);
        Assert.Matches("<th scope=\"row\">Hostname</th>\\s*<td>held-mac-new\\s*<span class=\"status bad\">differs</span>\\s*</td>\\s*<td>held-mac</td>", evidence);
        Assert.Matches("<th scope=\"row\">Serial number</th>\\s*<td>SERIAL-NEW\\s*<span class=\"status bad\">differs</span>\\s*</td>\\s*<td>SERIAL-OLD</td>", evidence);
        Assert.Contains("TestBook1,1", evidence, StringComparison.Ordinal);
        Assert.Contains("macOS 15.1", evidence, StringComparison.Ordinal);
        Assert.Contains("requested " + Signet.Server.WebConsole.ConsoleFormat.Time(app.Time.GetUtcNow()), evidence, StringComparison.Ordinal);
        Assert.Contains("last contact " + Signet.Server.WebConsole.ConsoleFormat.Time(app.Time.GetUtcNow().AddHours(-2)), evidence, StringComparison.Ordinal);
        Assert.Contains("last: <span class=\"status good\">valid</span>", evidence, StringComparison.Ordinal);
        Assert.Contains("general invitation ", evidence, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/enrollment-requests/approve?id={held.RequestId}\"", evidence, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/enrollment-requests/deny?id={held.RequestId}\"", evidence, StringComparison.Ordinal);

        // The computer's own page says a request claims to be it, and links to it.
        var detail = await client.GetHtmlAsync($"/console/computers/{enrolled.ComputerId}");
        Assert.Contains("1 enrollment request claims to be this computer</strong>", detail, StringComparison.Ordinal);
        Assert.Contains($"href=\"/console/enrollment-requests?computer={enrolled.ComputerId}\"", detail, StringComparison.Ordinal);
        Assert.Contains($"id=\"select-{held.RequestId}\"", await client.GetHtmlAsync($"/console/enrollment-requests?computer={enrolled.ComputerId}"),
            StringComparison.Ordinal);
        Assert.Contains("id=\"no-requests\"", await client.GetHtmlAsync("/console/enrollment-requests?computer=another-computer"), StringComparison.Ordinal);

        foreach (var status in new[] { "approved", "denied", "expired" })
        {
            Assert.Contains($"No {status} enrollment requests.", await client.GetHtmlAsync($"/console/enrollment-requests?status={status}"),
                StringComparison.Ordinal);
        }

        // After seven days without a decision it is listed as expired, and nothing waits any more.
        app.Time.Advance(TimeSpan.FromDays(8));
        client = await app.LoggedInAsync(); // the console session itself lasts eight hours
        Assert.Contains("id=\"no-requests\"", await client.GetHtmlAsync("/console/enrollment-requests"), StringComparison.Ordinal);
        Assert.Contains("UDID-HELD-0001", await client.GetHtmlAsync("/console/enrollment-requests?status=expired"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsksFirstThenIssuesTheCertificateOnTheAgentsNextPoll()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var enrolled = await NamedComputers.EnrollAsync(http, token, "UDID-APPROVE-1", "approve-mac");
        var held = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-APPROVE-1", "approve-mac");
        Assert.Equal(HttpStatusCode.Accepted, (await held.PollAsync(http)).StatusCode);
        var client = await app.LoggedInAsync();

        var question = await client.GetHtmlAsync($"/console/enrollment-requests/approve?id={held.RequestId}");
        Assert.Contains("<h1>Approve the enrollment of approve-mac?</h1>", question, StringComparison.Ordinal);
        Assert.Contains("Approving issues a new certificate to the key in each request below: the computer receives it on its next poll", question, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await held.PollAsync(http)).StatusCode); // asking decides nothing

        var approved = await client.PostFormAsync("/console/enrollment-requests/approve", new() { ["id"] = held.RequestId, ["confirmed"] = "true" },
            $"/console/enrollment-requests/approve?id={held.RequestId}");
        var list = await client.FollowAsync(approved);
        Assert.Contains("Approved the enrollment of approve-mac: the computer receives its new certificate", list, StringComparison.Ordinal);
        Assert.Contains("No enrollment request waits for a decision.", list, StringComparison.Ordinal);

        using var reenrolled = await held.ApprovedAsync(http);
        Assert.Equal(enrolled.ComputerId, reenrolled.ComputerId);
        using (var signed = reenrolled.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        var history = await client.GetHtmlAsync("/console/enrollment-requests?status=approved");
        Assert.Contains("UDID-APPROVE-1", history, StringComparison.Ordinal);
        Assert.Contains(" by admin</td>", history, StringComparison.Ordinal);
        Assert.Contains(enrolled.ComputerId, await client.GetHtmlAsync("/console/audit?action=enrollment.approved"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DenyMakesTheAgentsPollRefusedAndLeavesTheComputerAsItIs()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var enrolled = await NamedComputers.EnrollAsync(http, token, "UDID-DENY-1", "deny-mac");
        var held = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-DENY-1", "impostor-mac");
        var client = await app.LoggedInAsync();

        var question = await client.GetHtmlAsync($"/console/enrollment-requests/deny?id={held.RequestId}");
        Assert.Contains("<h1>Deny the enrollment of impostor-mac?</h1>", question, StringComparison.Ordinal);
        Assert.Contains("class=\"danger\">Deny</button>", question, StringComparison.Ordinal);

        var denied = await client.PostFormAsync("/console/enrollment-requests/deny", new() { ["id"] = held.RequestId, ["confirmed"] = "true" },
            $"/console/enrollment-requests/deny?id={held.RequestId}");
        Assert.Contains("Denied the enrollment of impostor-mac: its agent is refused (enrollment-denied) on its next poll",
            await client.FollowAsync(denied), StringComparison.Ordinal);

        var poll = await held.PollAsync(http);
        Assert.Equal(HttpStatusCode.Forbidden, poll.StatusCode);
        Assert.Equal("urn:signet:problem:enrollment-denied", await ProblemResponses.ProblemTypeAsync(poll));
        using (var signed = enrolled.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        Assert.Contains("<span class=\"status good\">current</span>", await client.GetHtmlAsync($"/console/computers/{enrolled.ComputerId}"),
            StringComparison.Ordinal);
        Assert.Contains("UDID-DENY-1", await client.GetHtmlAsync("/console/enrollment-requests?status=denied"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SelectedRequestsAreApprovedTogetherAfterOneConfirmation()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var first = await NamedComputers.EnrollAsync(http, token, "UDID-LAB-0001", "lab-01");
        using var second = await NamedComputers.EnrollAsync(http, token, "UDID-LAB-0002", "lab-02");
        using var third = await NamedComputers.EnrollAsync(http, token, "UDID-LAB-0003", "lab-03");
        var heldFirst = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-LAB-0001", "lab-01");
        var heldSecond = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-LAB-0002", "lab-02");
        var heldThird = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-LAB-0003", "lab-03");
        var client = await app.LoggedInAsync();

        var list = await client.GetHtmlAsync("/console/enrollment-requests");
        Assert.Contains(">Approve selected</button>", list, StringComparison.Ordinal);
        Assert.Contains("name=\"__RequestVerificationToken\"", list[list.IndexOf("id=\"pending-requests\"", StringComparison.Ordinal)..],
            StringComparison.Ordinal);
        Assert.Contains("formaction=\"/console/enrollment-requests/deny\">Deny selected</button>", list, StringComparison.Ordinal);

        // The list's form posts the ticked boxes; that asks first and names each.
        var selection = new[] { heldFirst.RequestId, heldSecond.RequestId };
        var question = await PostSelectionAsync(client, "/console/enrollment-requests/approve", selection, confirmed: false);
        Assert.Equal(HttpStatusCode.OK, question.StatusCode);
        var asked = await question.Content.ReadAsStringAsync();
        Assert.Contains("<h1>Approve 2 enrollment requests?</h1>", asked, StringComparison.Ordinal);
        Assert.Contains("<td>lab-01</td>", asked, StringComparison.Ordinal);
        Assert.Contains("<td>lab-02</td>", asked, StringComparison.Ordinal);
        Assert.DoesNotContain("lab-03", asked, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, (await heldFirst.PollAsync(http)).StatusCode);

        var decided = await PostSelectionAsync(client, "/console/enrollment-requests/approve", selection, confirmed: true);
        var results = await client.FollowAsync(decided);
        Assert.Contains("Approved the enrollment of lab-01", results, StringComparison.Ordinal);
        Assert.Contains("Approved the enrollment of lab-02", results, StringComparison.Ordinal);
        Assert.Contains("aria-current=\"page\">Pending (1)</a>", results, StringComparison.Ordinal);

        using var reenrolledFirst = await heldFirst.ApprovedAsync(http);
        using var reenrolledSecond = await heldSecond.ApprovedAsync(http);
        Assert.Equal(HttpStatusCode.Accepted, (await heldThird.PollAsync(http)).StatusCode);

        // Nothing ticked: back to the list, which says so.
        var none = await PostSelectionAsync(client, "/console/enrollment-requests/deny", [], confirmed: false);
        Assert.Contains("Select at least one enrollment request first.", await client.FollowAsync(none), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingARequestAlreadyDecidedChangesNothingAndSaysSo()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var enrolled = await NamedComputers.EnrollAsync(http, token, "UDID-TWICE-1", "twice-mac");
        var held = await NamedComputers.EnrollAgainHeldAsync(http, token, "UDID-TWICE-1", "twice-mac");
        var client = await app.LoggedInAsync();
        var approvePage = $"/console/enrollment-requests/approve?id={held.RequestId}";
        var question = await client.GetHtmlAsync(approvePage); // a second administrator opened the question meanwhile

        var denied = await PostSelectionAsync(client, "/console/enrollment-requests/deny", [held.RequestId], confirmed: true);
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("<h1>Approve the enrollment of twice-mac?</h1>", question, StringComparison.Ordinal);

        var late = await client.PostFormAsync("/console/enrollment-requests/approve", new() { ["id"] = held.RequestId, ["confirmed"] = "true" },
            "/console/enrollment-requests");
        var results = await client.FollowAsync(late);
        Assert.Contains("The enrollment of twice-mac was already denied by admin at", results, StringComparison.Ordinal);
        Assert.Contains("nothing changed.", results, StringComparison.Ordinal);
        Assert.DoesNotContain("Approved the enrollment", results, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await held.PollAsync(http)).StatusCode);

        var again = await client.GetHtmlAsync(approvePage);
        Assert.Contains("<h1>Nothing to approve</h1>", again, StringComparison.Ordinal);
        Assert.DoesNotContain(">Approve</button>", again, StringComparison.Ordinal);
        Assert.Contains("twice-mac: denied", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRequestsAndDecisionsAreNotFoundAndPostsNeedTheFormToken()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        foreach (var path in new[] { "/console/enrollment-requests/approve?id=no-such-request", "/console/enrollment-requests/deny?id=x&id=y",
            "/console/enrollment-requests/delete?id=x" })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("<h1>Enrollment request not found</h1>", html, StringComparison.Ordinal);
            Assert.Contains("href=\"/console/settings\">Settings</a>", html, StringComparison.Ordinal); // inside the layout
        }

        var unknown = await client.PostFormAsync("/console/enrollment-requests/approve", new() { ["id"] = "no-such-request", ["confirmed"] = "true" },
            "/console/enrollment-requests");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Enrollment request not found", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/console/enrollment-requests?status=nonsense", UriKind.Relative))).StatusCode);

        using var forged = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "no-such-request", ["confirmed"] = "true" });
        var withoutToken = await client.PostAsync(new Uri("/console/enrollment-requests/approve", UriKind.Relative), forged);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
    }

    /// <summary>Posts several ids the way the list's form does (the same field once per ticked box).</summary>
    private static Task<HttpResponseMessage> PostSelectionAsync(HttpClient client, string path, string[] ids, bool confirmed) =>
        client.PostFormAsync(path, ids.Select(id => new KeyValuePair<string, string>("id", id))
            .Concat(confirmed ? [new("confirmed", "true")] : []), "/console/enrollment-requests");
}
