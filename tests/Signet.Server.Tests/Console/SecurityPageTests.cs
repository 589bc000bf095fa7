using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Protocol.Wire;

namespace Signet.Server.Tests.Console;

public sealed class SecurityPageTests
{
    private static readonly Uri AgentBase = new("http://localhost/");

    [Fact]
    public async Task TheOriginalPathLeadsFromSettingsToTheSecurityPage()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();

        var settings = await client.GetHtmlAsync("/console/settings");
        Assert.Contains("<h1>Settings</h1>", settings, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/settings/computer-management\">Computer Management</a>", settings, StringComparison.Ordinal);

        var management = await client.GetHtmlAsync("/console/settings/computer-management");
        Assert.Contains(">Computer Management\u2013Management Framework</h2>", management, StringComparison.Ordinal);
        Assert.Contains("href=\"/console/settings/security\">Security</a>", management, StringComparison.Ordinal);

        var security = await client.GetHtmlAsync("/console/settings/security");
        Assert.Contains("<h1>Security</h1>", security, StringComparison.Ordinal);
        Assert.Contains("id=\"value-certificate-based-communication\">Disabled</dd>", security, StringComparison.Ordinal);
        Assert.Contains("id=\"value-maximum-clock-skew\">300 seconds</dd>", security, StringComparison.Ordinal);
        Assert.Contains("id=\"value-device-certificate-lifetime\">365 days</dd>", security, StringComparison.Ordinal);
        Assert.Contains(">Edit</button>", security, StringComparison.Ordinal);

        var edit = await client.GetHtmlAsync("/console/settings/security/edit");
        Assert.Contains("<label for=\"CertificateBasedCommunication\">Enable certificate-based communication</label>", edit, StringComparison.Ordinal);
        Assert.Contains("<label for=\"MaximumClockSkewSeconds\">Maximum clock skew</label>", edit, StringComparison.Ordinal);
        Assert.Contains("<label for=\"DeviceCertificateLifetimeDays\">Device certificate lifetime</label>", edit, StringComparison.Ordinal);
        Assert.Contains(">Save</button>", edit, StringComparison.Ordinal);
        Assert.Contains(">Cancel</a>", edit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SaveAppliesTheValuesShowsThemReadOnlyAndAuditsOldAndNew()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();

        var saved = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "true", ["MaximumClockSkewSeconds"] = "120", ["DeviceCertificateLifetimeDays"] = "90",
        });
        var view = await client.FollowAsync(saved);
        Assert.Contains("The Security settings were saved", view, StringComparison.Ordinal);
        Assert.Contains("id=\"value-certificate-based-communication\">Enabled</dd>", view, StringComparison.Ordinal);
        Assert.Contains("id=\"value-maximum-clock-skew\">120 seconds</dd>", view, StringComparison.Ordinal);
        Assert.Contains("id=\"value-device-certificate-lifetime\">90 days</dd>", view, StringComparison.Ordinal);
        Assert.DoesNotContain("The Security settings were saved", await client.GetHtmlAsync("/console/settings/security"), StringComparison.Ordinal);

        // The same values through the admin API (the console cookie is accepted there too).
        using var api = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/settings/security", UriKind.Relative)));
        Assert.True(api.RootElement.GetProperty("certificateBasedCommunication").GetBoolean());
        Assert.Equal(120, api.RootElement.GetProperty("maximumClockSkewSeconds").GetInt32());
        Assert.Equal(90, api.RootElement.GetProperty("deviceCertificateLifetimeDays").GetInt32());

        var audit = await client.GetHtmlAsync("/console/audit?action=settings.security.changed");
        Assert.Contains("<td data-label=\"Actor\">admin</td>", audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">certificateBasedCommunication</span>", audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"old\">false</span>", audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"new\">true</span>", audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"old\">300</span>", audit, StringComparison.Ordinal);
        Assert.Contains("<span class=\"new\">120</span>", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("SecuritySettings {", audit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", "365", "Must be between 5 and 3600 seconds.")]
    [InlineData("300", "0", "Must be between 1 and 3650 days.")]
    [InlineData("abc", "365", "Enter a whole number of seconds.")]
    public async Task InvalidValuesAreShownWithTheFormAndNothingChanges(string skew, string lifetime, string message)
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var response = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "false", ["MaximumClockSkewSeconds"] = skew, ["DeviceCertificateLifetimeDays"] = lifetime,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(message, html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"value-maximum-clock-skew\">300 seconds</dd>", await client.GetHtmlAsync("/console/settings/security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadinessCountsOutcomesAndListsComputersThatWouldBeRefused()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var signer = await NamedComputers.EnrollAsync(http, token, "UDID-SIGNER-1", "signer-mac");
        using var silent = await NamedComputers.EnrollAsync(http, token, "UDID-SILENT-2", "silent-mac");
        using var unsigned = await NamedComputers.EnrollAsync(http, token, "UDID-UNSIGNED-3", "unsigned-mac");
        using (var signed = signer.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await AgentApi.UnsignedCheckInAsync(http, unsigned.Udid)).StatusCode);

        var client = await app.LoggedInAsync();
        var html = await client.GetHtmlAsync("/console/settings/security");
        Assert.Contains("id=\"ready-count\">1</strong>", html, StringComparison.Ordinal);
        Assert.Contains("id=\"not-ready-count\">2</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>valid</td><td class=\"number\">1</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>never signed</td><td class=\"number\">1</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>signature-required</td><td class=\"number\">1</td></tr>", html, StringComparison.Ordinal);
        var refused = html[html.IndexOf("id=\"would-be-refused\"", StringComparison.Ordinal)..];
        Assert.Contains("silent-mac", refused, StringComparison.Ordinal);
        Assert.Contains("unsigned-mac", refused, StringComparison.Ordinal);
        Assert.DoesNotContain("signer-mac", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnablingWhileComputersWouldBeRefusedAsksForConfirmationFirst()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-NEVER-SIGNED", "never-signed-mac");
        var client = await app.LoggedInAsync();
        var fields = new Dictionary<string, string>
        {
            ["CertificateBasedCommunication"] = "true", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
        };

        var first = await client.PostFormAsync("/console/settings/security/edit", new(fields), "/console/settings/security/edit");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var question = await first.Content.ReadAsStringAsync();
        Assert.Contains("1 computer would be refused", question, StringComparison.Ordinal);
        Assert.Contains("<label for=\"ConfirmLockout\">Enable anyway and refuse these computers</label>", question, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await AgentApi.UnsignedCheckInAsync(http, device.Udid)).StatusCode); // still off

        fields["ConfirmLockout"] = "true";
        var confirmed = await client.PostFormAsync("/console/settings/security/edit", fields, "/console/settings/security/edit");
        Assert.Contains("id=\"value-certificate-based-communication\">Enabled</dd>", await client.FollowAsync(confirmed), StringComparison.Ordinal);

        // The very next agent request is refused: no signature at all.
        var refused = await AgentApi.UnsignedCheckInAsync(http, device.Udid);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("urn:signet:problem:signature-required", await ProblemResponses.ProblemTypeAsync(refused));
    }

    [Fact]
    public async Task EnablingWithEveryComputerReadyNeedsNoConfirmation()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-READY", "ready-mac");
        using (var signed = device.SignedClient(app.Server.CreateHandler(), AgentBase, app.Time))
        {
            Assert.Equal(HttpStatusCode.OK, (await AgentApi.CheckInAsync(signed)).StatusCode);
        }

        var client = await app.LoggedInAsync();
        var saved = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "true", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
        });
        Assert.Contains("id=\"value-certificate-based-communication\">Enabled</dd>", await client.FollowAsync(saved), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApiAcceptsTheConsoleCookieButAnswersAnonymousCallsWithAProblemNotARedirect()
    {
        await using var app = new ConsoleApp();
        var anonymous = await app.Browser().GetAsync(new Uri("/api/v1/settings/security", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Null(anonymous.Headers.Location);

        var client = await app.LoggedInAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/settings/security", UriKind.Relative))).StatusCode);

        using var bearer = app.CreateClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await AdminApiCalls.TokenAsync(bearer, ConsoleApp.Password));
        Assert.Equal(HttpStatusCode.OK, (await bearer.GetAsync(new Uri("/api/v1/settings/security", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task ReenrollmentChoiceIsSavedShownAndAppliedToTheNextEnrollment()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var device = await NamedComputers.EnrollAsync(http, token, "UDID-LAB-REIMAGE", "lab-mac");
        var client = await app.LoggedInAsync();

        Assert.Contains("id=\"value-reenrollment\">Require approval when a known computer enrolls again (recommended)</dd>",
            await client.GetHtmlAsync("/console/settings/security"), StringComparison.Ordinal);
        var edit = await client.GetHtmlAsync("/console/settings/security/edit");
        Assert.Contains("<legend>Re-enrollment of a known computer</legend>", edit, StringComparison.Ordinal);
        Assert.Contains("<input type=\"radio\" name=\"Reenrollment\" id=\"Reenrollment-approval\" value=\"approval\" checked=\"checked\">", edit, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Reenrollment-approval\">Require approval when a known computer enrolls again (recommended)</label>", edit, StringComparison.Ordinal);
        Assert.Contains("<label for=\"Reenrollment-invitation\">Let any valid invitation re-enroll a known computer (labs that re-image)</label>", edit, StringComparison.Ordinal);

        var saved = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "false", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
            ["Reenrollment"] = "invitation",
        });
        Assert.Contains("id=\"value-reenrollment\">Let any valid invitation re-enroll a known computer (labs that re-image)</dd>",
            await client.FollowAsync(saved), StringComparison.Ordinal);
        using (var api = JsonDocument.Parse(await client.GetStringAsync(new Uri("/api/v1/settings/security", UriKind.Relative))))
        {
            Assert.Equal("invitation", api.RootElement.GetProperty("reenrollment").GetString());
        }

        // A re-imaged lab computer with a general invitation is re-enrolled at once instead of being held.
        using var reimaged = await NamedComputers.EnrollAsync(http, token, "UDID-LAB-REIMAGE", "lab-mac");
        Assert.Equal(device.ComputerId, reimaged.ComputerId);

        // A form without the choice leaves it as it is; a value that is not a choice is refused with the form.
        var unchanged = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "false", ["MaximumClockSkewSeconds"] = "301", ["DeviceCertificateLifetimeDays"] = "365",
        });
        Assert.Contains("id=\"value-reenrollment\">Let any valid invitation", await client.FollowAsync(unchanged), StringComparison.Ordinal);
        var invalid = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "false", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
            ["Reenrollment"] = "always",
        });
        Assert.Equal(HttpStatusCode.OK, invalid.StatusCode);
        Assert.Contains("id=\"reenrollment-error\">Must be", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequiringHardwareKeysIsSavedShownAndTheComputerPageSaysHowItsKeyIsHeld()
    {
        await using var app = new ConsoleApp();
        var http = app.CreateClient();
        var token = await AdminApiCalls.TokenAsync(http, ConsoleApp.Password);
        using var legacy = await NamedComputers.EnrollAsync(http, token, "UDID-LEGACY-AGENT", "legacy-mac");
        var client = await app.LoggedInAsync();
        Assert.Contains("id=\"value-require-hardware-keys\">Not required</dd>", await client.GetHtmlAsync("/console/settings/security"), StringComparison.Ordinal);
        Assert.Contains("<label for=\"RequireHardwareKeys\">Require hardware-held keys for new enrollments</label>",
            await client.GetHtmlAsync("/console/settings/security/edit"), StringComparison.Ordinal);

        var saved = await client.PostFormAsync("/console/settings/security/edit", new()
        {
            ["CertificateBasedCommunication"] = "false", ["MaximumClockSkewSeconds"] = "300", ["DeviceCertificateLifetimeDays"] = "365",
            ["RequireHardwareKeys"] = "true",
        });
        Assert.Contains("id=\"value-require-hardware-keys\">Required for new enrollments</dd>", await client.FollowAsync(saved), StringComparison.Ordinal);

        using var fileKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var refused = await NamedComputers.PostEnrollAsync(http, await NamedComputers.CreateInvitationAsync(http, token), fileKey, "UDID-FILE-KEY", "file-mac",
            "SERIAL", new KeyProtection(KeyProtection.File));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("urn:signet:problem:key-not-allowed", await ProblemResponses.ProblemTypeAsync(refused));

        using var tokenKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var accepted = await NamedComputers.PostEnrollAsync(http, await NamedComputers.CreateInvitationAsync(http, token), tokenKey, "UDID-TPM-KEY", "tpm-mac",
            "SERIAL", new KeyProtection(KeyProtection.Pkcs11, "SW TPM"));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var tpm = await TestDevice.FromCertificateResponseAsync(accepted, "UDID-TPM-KEY", tokenKey, "tpm-mac");
        Assert.Contains("id=\"certificate-key-protection\">hardware token (SW TPM), as declared by the agent</dd>",
            await client.GetHtmlAsync($"/console/computers/{tpm.ComputerId}"), StringComparison.Ordinal);
        Assert.Contains("id=\"certificate-key-protection\">not declared (agent older than key protection)</dd>",
            await client.GetHtmlAsync($"/console/computers/{legacy.ComputerId}"), StringComparison.Ordinal);
    }
}
