namespace Signet.Agent.Tests.Commands;

/// <summary><c>remove-framework</c> at a terminal: it asks, and only "y" or "yes" removes anything. (Without a terminal
/// it needs <c>--yes</c>: the end-to-end tests run the real program with a closed standard input.)</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RemoveFrameworkTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Keychain => _temp.Combine("keychain");
    private string Unit => _temp.Combine("signet-agent.service");
    private Dictionary<string, string> Environment => new() { ["SIGNET_DAEMON_UNIT"] = Unit };

    private async Task InstallAsync()
    {
        Directory.CreateDirectory(Keychain, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(System.IO.Path.Combine(Keychain, "agent.json"), "{}");
        Assert.Equal(0, (await CliRunner.RunAsync(["install-daemon", "--keychain", Keychain], Environment)).ExitCode);
    }

    [Theory]
    [InlineData("n\n")]
    [InlineData("\n")]
    [InlineData("")]
    public async Task AnythingButYesRemovesNothingAndExitsOne(string typed)
    {
        await InstallAsync();

        var result = await CliRunner.RunAtTerminalAsync(["remove-framework", "--keychain", Keychain], Environment, typed);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"Delete the keychain in {Keychain} and the daemon unit {Unit}?", result.Error, StringComparison.Ordinal);
        Assert.Contains("Nothing was removed (not confirmed).", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(Unit));
        Assert.True(File.Exists(System.IO.Path.Combine(Keychain, "agent.json")));
    }

    [Theory]
    [InlineData("y\n")]
    [InlineData("YES\n")]
    public async Task YesRemovesTheKeychainAndTheDaemonUnit(string typed)
    {
        await InstallAsync();

        var result = await CliRunner.RunAtTerminalAsync(["remove-framework", "--keychain", Keychain], Environment, typed);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Unit));
        Assert.False(Directory.Exists(Keychain));
    }

    [Fact]
    public async Task AUnitForAnotherKeychainIsLeftAlone()
    {
        await InstallAsync();
        var other = _temp.Combine("other");

        var result = await CliRunner.RunAtTerminalAsync(["remove-framework", "--keychain", other], Environment, "y\n");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("nothing to remove", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Unit));
    }

    [Fact]
    public async Task JsonWithoutYesIsAUsageErrorEvenAtATerminal()
    {
        await InstallAsync();

        var result = await CliRunner.RunAtTerminalAsync(["remove-framework", "--json", "--keychain", Keychain], Environment, "y\n");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--yes", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Unit));
    }
}
