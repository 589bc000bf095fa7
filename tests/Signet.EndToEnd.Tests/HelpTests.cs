namespace Signet.EndToEnd.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("", new[] { "enroll", "checkin", "recon", "renew", "status", "check-connection", "remove-framework", "daemon", "install-daemon", "--keychain", "--json" })]
    [InlineData("enroll", new[] { "--server", "--invitation", "--ca-fingerprint", "--wait", "--key-type", "--keychain", "--json" })]
    [InlineData("checkin", new[] { "--keychain", "--json" })]
    [InlineData("recon", new[] { "--keychain", "--json" })]
    [InlineData("renew", new[] { "--keychain", "--json" })]
    [InlineData("status", new[] { "--online", "--keychain", "--json" })]
    [InlineData("check-connection", new[] { "--keychain", "--json" })]
    [InlineData("remove-framework", new[] { "--yes", "--keychain", "--json" })]
    [InlineData("daemon", new[] { "--keychain", "--json" })]
    [InlineData("install-daemon", new[] { "--print", "--keychain", "--json" })]
    public async Task TheRealProgramsHelpListsEveryCommandAndOption(string command, string[] expected)
    {
        var result = await Programs.RunAgentAsync(command.Length == 0 ? ["--help"] : [command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(command.Length == 0 ? "signet [command] [options]" : $"signet {command} [options]", result.Output, StringComparison.Ordinal);
        foreach (var item in expected)
        {
            Assert.Contains(item, result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("", "signet status --online")]
    [InlineData("enroll", "signet enroll --server https://signet.example.com:8443 --invitation <code> --ca-fingerprint <fingerprint>")]
    [InlineData("status", "signet status --online")]
    [InlineData("remove-framework", "signet remove-framework --yes")]
    [InlineData("install-daemon", "signet install-daemon --print")]
    public async Task HelpEndsWithExamples(string command, string example)
    {
        var result = await Programs.RunAgentAsync(command.Length == 0 ? ["--help"] : [command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        var examples = result.Output.IndexOf("Examples:", StringComparison.Ordinal);
        Assert.True(examples > result.Output.IndexOf("Options:", StringComparison.Ordinal), result.ToString());
        Assert.Contains("  " + example, result.Output[examples..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOptionIsAUsageError() =>
        Assert.Equal(2, (await Programs.RunAgentAsync(["checkin", "--no-such-option"])).ExitCode);
}
