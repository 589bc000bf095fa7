namespace Signet.EndToEnd.Tests;

public sealed class HelpTests
{
    [Theory]
    [InlineData("", new[] { "enroll", "checkin", "recon", "renew", "status", "check-connection", "remove-framework", "daemon", "install-daemon", "--keychain", "--json" })]
    [InlineData("enroll", new[] { "--server", "--invitation", "--ca-fingerprint", "--wait", "--key-type", "--keychain", "--json" })]
    [InlineData("checkin", new[] { "--keychain", "--json" })]
    [InlineData("recon", new[] { "--keychain", "--json" })]
    [InlineData("renew", new[] { "--keychain", "--json" })]
    [InlineData("status", new[] { "--keychain", "--json" })]
    [InlineData("check-connection", new[] { "--keychain", "--json" })]
    [InlineData("remove-framework", new[] { "--keychain", "--json" })]
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

    [Fact]
    public async Task AnUnknownOptionIsAUsageError() =>
        Assert.Equal(2, (await Programs.RunAgentAsync(["checkin", "--no-such-option"])).ExitCode);
}
