using System.Text.RegularExpressions;

namespace Signet.EndToEnd.Tests;

/// <summary>What the person at the computer reads: every failure says what happened and the exact command to run
/// next, with the real server URL and the <c>--keychain</c> that was given (the real <c>signet</c> program against a
/// real <c>signet-server</c> process).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class AgentMessagesTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [GeneratedRegex("^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$")]
    private static partial Regex FingerprintFormat();

    [GeneratedRegex(@"CA fingerprint \(SHA-256\): (\S+)")]
    private static partial Regex PrintedFingerprint();

    [Fact]
    public async Task PlainHttpToTheHttpsPortSaysUseHttpsWithTheCommandToRun()
    {
        using var computer = new SimulatedComputer();
        var http = Server.ServerUrl.Replace("https://", "http://", StringComparison.Ordinal);

        var result = await computer.RunAsync("enroll", "--server", http, "--invitation", "the-code");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains($"The server at {http} speaks https, not plain http", result.Error, StringComparison.Ordinal);
        Assert.Contains($"`signet enroll --server {Server.ServerUrl} --invitation the-code --keychain {computer.Keychain}`", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("An error occurred while sending the request", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainHttpToAnotherComputerIsAUsageErrorNamingTheHttpsCommand()
    {
        using var computer = new SimulatedComputer();

        var result = await computer.RunAsync("enroll", "--server", "http://signet.example.com:8443", "--invitation", "the-code");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"`signet enroll --server https://signet.example.com:8443 --invitation the-code --keychain {computer.Keychain}`", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPathIsNotFoundAndTheCommandUsesTheBaseUrl()
    {
        using var computer = new SimulatedComputer();

        var result = await computer.RunAsync("enroll", "--server", Server.ServerUrl + "/signet", "--invitation", "the-code");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("(not-found)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("validation-failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("under the path /signet", result.Error, StringComparison.Ordinal);
        Assert.Contains($"`signet enroll --server {Server.ServerUrl} --invitation the-code --keychain {computer.Keychain}`", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("5D:F5")]
    [InlineData("5DF:5")]
    public async Task AMalformedCaFingerprintIsAUsageErrorBeforeAnyRequest(string fingerprint)
    {
        using var computer = new SimulatedComputer();
        // Nothing listens on port 1: a request would fail with exit 5, so exit 2 shows none was made.
        var result = await computer.RunAsync("enroll", "--server", "https://127.0.0.1:1", "--invitation", "the-code", "--ca-fingerprint", fingerprint);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"--ca-fingerprint '{fingerprint}' is not a SHA-256 fingerprint", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Fetching", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(computer.Keychain));
    }

    [Fact]
    public async Task TheAgentAndTheServerBannerPrintTheFingerprintInOneFormatAcceptedInAnyCase()
    {
        using var computer = new SimulatedComputer();
        // The administrator's copy with colons, in lowercase: accepted all the same.
        var typed = string.Join(':', Server.CaFingerprint.Chunk(2).Select(pair => new string(pair))).ToLowerInvariant();

        var result = await computer.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(), "--ca-fingerprint", typed);

        Assert.True(result.ExitCode == 0, result + Server.Log);
        var printed = PrintedFingerprint().Match(result.Output).Groups[1].Value;
        Assert.Matches(FingerprintFormat(), printed);
        Assert.Equal(typed, printed.ToLowerInvariant());
        Assert.Contains($"CA fingerprint (SHA-256) {printed} (", Server.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACopiedKeychainWithTheSettingOffIsToldTheServerDoesNotKnowThisComputerAndWhy()
    {
        using var original = new SimulatedComputer();
        using var other = new SimulatedComputer();
        await original.EnrollAsync(Server);
        await Server.Admin.SetSecurityAsync(false);
        original.CopyKeychainTo(other);

        var result = await other.RunAsync("checkin");

        Assert.True(result.ExitCode == 4, result + Server.Log);
        Assert.Contains("(not-enrolled)", result.Error, StringComparison.Ordinal);
        Assert.Contains($"this keychain was enrolled for the computer with hardware UUID {original.Udid}, and this computer's is {other.Udid}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("may have been deleted", result.Error, StringComparison.Ordinal);
        Assert.Contains($"`signet enroll --server {Server.ServerUrl} --invitation <code> --keychain {other.Keychain}`", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusShowsARevokedCertificateOfflineAfterTheServerRefusedItAndOnlineAsksTheServer()
    {
        using var computer = new SimulatedComputer();
        var computerId = await computer.EnrollAsync(Server);
        await Server.Admin.SetSecurityAsync(true);

        var accepted = await computer.RunAsync("status", "--online");
        Assert.True(accepted.ExitCode == 0, accepted + Server.Log);
        Assert.Contains("Server now:   accepted this computer's signed request", accepted.Output, StringComparison.Ordinal);
        Assert.Contains("(valid)", accepted.Output, StringComparison.Ordinal);

        await Server.Admin.RevokeAsync(computerId);
        var online = await computer.RunAsync("status", "--online");

        Assert.True(online.ExitCode == 4, online + Server.Log);
        Assert.Contains("Server now:   refused this computer's signature (certificate-revoked)", online.Output, StringComparison.Ordinal);
        Assert.Contains("(revoked)", online.Output, StringComparison.Ordinal);
        Assert.Contains($"`signet enroll --server {Server.ServerUrl} --invitation <code> --keychain {computer.Keychain}`", online.Error, StringComparison.Ordinal);

        // Offline, the last answer stands: never "(valid)" for a certificate the server refused.
        var offline = await computer.RunAsync("status");
        Assert.True(offline.ExitCode == 0, offline.ToString());
        Assert.Contains("(revoked)", offline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("(valid)", offline.Output, StringComparison.Ordinal);
        Assert.Contains("Refused:      the server refused this computer's signature (certificate-revoked)", offline.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Server now:", offline.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheSettingOffARevokedComputerIsServedButToldItWouldBeRefused()
    {
        using var computer = new SimulatedComputer();
        var computerId = await computer.EnrollAsync(Server);
        await Server.Admin.SetSecurityAsync(false);
        await Server.Admin.RevokeAsync(computerId);

        var checkin = await computer.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
        Assert.Contains("Warning: The server at " + Server.ServerUrl + " still answers this computer only because certificate-based communication is off", checkin.Output, StringComparison.Ordinal);
        Assert.Contains("(certificate-revoked)", checkin.Output, StringComparison.Ordinal);

        var offline = await computer.RunAsync("status");
        Assert.Contains("(revoked)", offline.Output, StringComparison.Ordinal);

        var online = await computer.RunAsync("status", "--online");
        Assert.True(online.ExitCode == 4, online + Server.Log);
        Assert.Contains("Server now:   served, but the signature is refused (certificate-revoked)", online.Output, StringComparison.Ordinal);

        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 4, connection + Server.Log);
        Assert.Contains("once it is enabled, this computer is refused", connection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveFrameworkWithoutATerminalNeedsYesAndThenRemovesTheDaemonUnitToo()
    {
        using var computer = new SimulatedComputer();
        await computer.EnrollAsync(Server);
        var unit = Path.Combine(Path.GetDirectoryName(computer.Keychain)!, "signet-agent.service");
        var environment = new Dictionary<string, string> { ["SIGNET_DEVICE_UDID"] = computer.Udid, ["SIGNET_DAEMON_UNIT"] = unit };
        var installed = await Programs.RunAgentAsync(["install-daemon", "--keychain", computer.Keychain], environment);
        Assert.True(installed.ExitCode == 0, installed.ToString());
        Assert.Contains(computer.Keychain, File.ReadAllText(unit), StringComparison.Ordinal);

        var refused = await Programs.RunAgentAsync(["remove-framework", "--keychain", computer.Keychain], environment);

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains($"there is no terminal to confirm it on, so nothing was removed. To go ahead, run `signet remove-framework --yes --keychain {computer.Keychain}`", refused.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(unit));
        Assert.True(File.Exists(Path.Combine(computer.Keychain, "agent.json")));

        var removed = await Programs.RunAgentAsync(["remove-framework", "--yes", "--keychain", computer.Keychain], environment);

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains($"Removed the daemon unit {unit}.", removed.Output, StringComparison.Ordinal);
        Assert.Contains($"Removed the keychain in {computer.Keychain}.", removed.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(unit));
        Assert.False(Directory.Exists(computer.Keychain));
    }

    [Theory]
    [InlineData("enrol", "enroll")]
    [InlineData("chekin", "checkin")]
    [InlineData("--sever", "--server")]
    public async Task AMistypedCommandOrOptionGetsTheCorrectedCommandLine(string typo, string meant)
    {
        string[] line = typo.StartsWith('-') ? ["enroll", typo, "https://signet.example.com"] : [typo, "--keychain", "/srv/signet keys"];

        var result = await Programs.RunAgentAsync(line);

        Assert.True(result.ExitCode == 2, result.ToString());
        var corrected = typo.StartsWith('-') ? $"signet enroll {meant} https://signet.example.com" : $"signet {meant} --keychain '/srv/signet keys'";
        Assert.Contains($"Did you mean `{corrected}`?", result.Error, StringComparison.Ordinal);
    }
}
