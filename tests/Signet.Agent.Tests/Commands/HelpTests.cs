namespace Signet.Agent.Tests.Commands;

public sealed class HelpTests
{
    public static TheoryData<string, string[]> CommandsAndOptions => new()
    {
        { "enroll", ["--server", "--invitation", "--ca-fingerprint", "--wait", "--key-type", "--keychain", "--json"] },
        { "checkin", ["--keychain", "--json"] },
        { "recon", ["--keychain", "--json"] },
        { "renew", ["--keychain", "--json"] },
        { "status", ["--keychain", "--json"] },
        { "check-connection", ["--keychain", "--json"] },
        { "remove-framework", ["--keychain", "--json"] },
        { "daemon", ["--keychain", "--json"] },
        { "install-daemon", ["--print", "--keychain", "--json"] },
    };

    [Theory]
    [MemberData(nameof(CommandsAndOptions))]
    public async Task HelpOfEveryCommandListsItsOptions(string command, string[] options)
    {
        var result = await CliRunner.RunAsync([command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        // In-process the usage line names the test host; the end-to-end tests check the real program name.
        Assert.Contains($" {command} [options]", result.Output, StringComparison.Ordinal);
        foreach (var option in options)
        {
            Assert.Contains(option, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RootHelpListsEveryCommand()
    {
        var result = await CliRunner.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var command in CommandsAndOptions.Select(row => (string)row[0]))
        {
            Assert.Contains(command, result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EnrollHelpRequiresNeitherServerNorInvitation()
    {
        // Continuing an enrollment in progress needs neither; a known computer may enroll without an invitation.
        var result = await CliRunner.RunAsync(["enroll", "--help"]);

        Assert.Contains("--server <URL>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--invitation <CODE>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--wait <SECONDS>", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("(REQUIRED)", result.Output, StringComparison.Ordinal);
    }
}
