using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Signet.Server.Tests.Console;

public sealed partial class InvitationsPageTests
{
    [GeneratedRegex("signet enroll --server (\\S+) --invitation (\\S+) --ca-fingerprint ([0-9A-F]{2}(?::[0-9A-F]{2}){31})")]
    private static partial Regex CommandPattern();

    /// <summary>The command as a person copies it: without the markup that lets the fingerprint wrap between pairs.</summary>
    internal static string CommandText(string html) => Regex.Replace(html, "<wbr>|<span class=\"fingerprint\">|</span></code>", m => m.Value == "</span></code>" ? "</code>" : "");

    [Fact]
    public async Task CreatingShowsTheEnrollCommandOnceAndTheCodeEnrolls()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var created = await client.PostFormAsync("/console/invitations?handler=Create", new() { ["Uses"] = "2", ["ExpiresInDays"] = "3" },
            "/console/invitations");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var html = await created.Content.ReadAsStringAsync();
        var command = CommandPattern().Match(CommandText(html));
        Assert.True(command.Success, "the page shows the enroll command");
        Assert.Equal("http://localhost", command.Groups[1].Value);
        var code = command.Groups[2].Value;

        var caPem = await app.CreateClient().GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative));
        using var ca = X509Certificate2.CreateFromPem(caPem);
        Assert.Equal(string.Join(':', SHA256.HashData(ca.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
            command.Groups[3].Value);
        Assert.Contains("2 uses, expires", html, StringComparison.Ordinal);

        var list = await client.GetHtmlAsync("/console/invitations");
        Assert.DoesNotContain(code, list, StringComparison.Ordinal);
        Assert.Contains("2 of 2", list, StringComparison.Ordinal);

        using var device = await NamedComputers.EnrollWithCodeAsync(app.CreateClient(), code, "UDID-INVITED", "invited-mac");
        Assert.Contains("1 of 2", await client.GetHtmlAsync("/console/invitations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidValuesAreExplainedAndNothingIsCreated()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var response = await client.PostFormAsync("/console/invitations?handler=Create", new() { ["Uses"] = "0", ["ExpiresInDays"] = "400" },
            "/console/invitations");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Must be between 1 and 100000.", html, StringComparison.Ordinal);
        Assert.Contains("Must be in the future and at most a year away.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("signet enroll", html, StringComparison.Ordinal);
        Assert.Contains("No invitation can enroll a computer now.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRemovesTheInvitationAndItsCodeNoLongerEnrolls()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var created = await client.PostFormAsync("/console/invitations?handler=Create", new() { ["Uses"] = "1", ["ExpiresInDays"] = "7" },
            "/console/invitations");
        var html = await created.Content.ReadAsStringAsync();
        var code = CommandPattern().Match(CommandText(html)).Groups[2].Value;
        var id = Regex.Match(html, "Invitation ([0-9a-f]{12}) created").Groups[1].Value;
        Assert.NotEmpty(id);

        Assert.Contains($"href=\"/console/invitations/{id}/delete\"", await client.GetHtmlAsync("/console/invitations"), StringComparison.Ordinal);
        var question = await client.GetHtmlAsync($"/console/invitations/{id}/delete");
        Assert.Contains($"<h1>Delete invitation {id}?</h1>", question, StringComparison.Ordinal);
        Assert.Contains("1 of 1", await client.GetHtmlAsync("/console/invitations"), StringComparison.Ordinal); // asking deletes nothing

        var deleted = await client.PostFormAsync($"/console/invitations/{id}/delete", [], $"/console/invitations/{id}/delete");
        var after = await client.FollowAsync(deleted);
        Assert.Contains($"Invitation {id} was deleted: its code enrolls nothing any more.", after, StringComparison.Ordinal);
        Assert.Contains("No invitation can enroll a computer now.", after, StringComparison.Ordinal);

        using var csrKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var enroll = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(app.CreateClient(), new Uri("/agent/v1/enroll", UriKind.Relative),
            new Signet.Protocol.Wire.EnrollRequest(code, new CertificateRequest("CN=x", csrKey, HashAlgorithmName.SHA256).CreateSigningRequestPem(),
                new("UDID-LATE", null, "late-mac", null, null, null)), Signet.Protocol.Wire.SignetJson.Options);
        Assert.Equal("urn:signet:problem:invitation-invalid", await ProblemResponses.ProblemTypeAsync(enroll));
    }
}
