using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Signet.Server.Tests.Console;

/// <summary>The invitation page's one-line install command: the same code as the enroll command, the CA pinned in the
/// project's fingerprint format, and the script from this server.</summary>
public sealed partial class InstallCommandPageTests
{
    [GeneratedRegex("<pre class=\"command\" id=\"install-command\"[^>]*><code>([^<]+)</code></pre>")]
    private static partial Regex InstallBlock();

    [GeneratedRegex("--invitation (\\S+) --ca-fingerprint")]
    private static partial Regex EnrollCode();

    [Fact]
    public async Task CreatedInvitationShowsTheInstallCommandWithTheCaPinned()
    {
        await using var app = new ConsoleApp();
        var client = await app.LoggedInAsync();
        var created = await client.PostFormAsync("/console/invitations?handler=Create", new() { ["Uses"] = "1", ["ExpiresInDays"] = "1" },
            "/console/invitations");
        var html = await created.Content.ReadAsStringAsync();
        var block = InstallBlock().Match(html);
        Assert.True(block.Success, "the page shows the install command");
        var command = WebUtility.HtmlDecode(block.Groups[1].Value);

        using var ca = X509Certificate2.CreateFromPem(await app.CreateClient().GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative)));
        var fingerprint = string.Join(':', SHA256.HashData(ca.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        var code = EnrollCode().Matches(html).Select(m => m.Groups[1].Value).Distinct().Single();
        Assert.Contains($"curl -fsSk http://localhost/agent/v1/ca -o \"$d/ca.pem\"", command, StringComparison.Ordinal);
        Assert.Contains($"= \"{fingerprint}\" ]", command, StringComparison.Ordinal);
        Assert.Contains("curl -fsS --cacert \"$d/ca.pem\" http://localhost/install.sh | sudo sh -s --", command, StringComparison.Ordinal);
        Assert.EndsWith($"--invitation {code} --ca-fingerprint {fingerprint}", command, StringComparison.Ordinal);
        Assert.Equal(0, await ShellSyntaxCheckAsync(command));

        var list = await client.GetHtmlAsync("/console/invitations");
        Assert.DoesNotContain("install-command", list, StringComparison.Ordinal);
    }

    /// <summary><c>sh -n</c>: the command parses as a POSIX shell line (quotes and braces balanced).</summary>
    private static async Task<int> ShellSyntaxCheckAsync(string command)
    {
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-n", "-c", command]) { RedirectStandardError = true })!;
        await shell.WaitForExitAsync();
        return shell.ExitCode;
    }
}
