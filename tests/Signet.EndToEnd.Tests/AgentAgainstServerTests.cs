using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>The real <c>signet</c> program against a real <c>signet-server</c> process over https (the agent trusts
/// only the server's CA, confirmed by fingerprint at enrollment).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class AgentAgainstServerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Fact]
    public async Task EnrollsChecksInSendsInventoryRenewsAndReportsStatus()
    {
        using var computer = new SimulatedComputer();

        var enroll = await computer.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint);
        Assert.True(enroll.ExitCode == 0, enroll + Server.Log);
        Assert.Contains("Enrolled with " + Server.ServerUrl, enroll.Output, StringComparison.Ordinal);
        Assert.Contains("Generating an RSA-2048 key pair", enroll.Error, StringComparison.Ordinal); // progress on stderr

        var before = await computer.RunJsonAsync("status");
        var computerId = before.GetProperty("computerId").GetString()!;
        Assert.Equal(computer.Udid, before.GetProperty("udid").GetString());
        Assert.Equal(Server.ServerUrl, before.GetProperty("server").GetString());

        // A new computer has never sent inventory, so the server asks for it and the agent sends it.
        var checkin = await computer.RunJsonAsync("checkin");
        Assert.Equal(computerId, checkin.GetProperty("computerId").GetString());
        Assert.Contains("inventory", checkin.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.True(checkin.GetProperty("inventory").GetProperty("bytes").GetInt32() > 0);

        var recon = await computer.RunAsync("recon");
        Assert.True(recon.ExitCode == 0, recon.ToString());
        Assert.Contains("Sent inventory", recon.Output, StringComparison.Ordinal);

        var renew = await computer.RunAsync("renew");
        Assert.True(renew.ExitCode == 0, renew + Server.Log);
        var after = await computer.RunJsonAsync("status");
        Assert.NotEqual(
            before.GetProperty("certificate").GetProperty("keyId").GetString(),
            after.GetProperty("certificate").GetProperty("keyId").GetString());
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("lastContactAt").ValueKind);

        // The renewed key is the one the server now accepts, also when it insists on signatures.
        await Server.Admin.SetSecurityAsync(true);
        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 0, connection + Server.Log);
        Assert.Contains("accepted this computer's signed request", connection.Output, StringComparison.Ordinal);

        var plainStatus = await computer.RunAsync("status");
        Assert.Equal(0, plainStatus.ExitCode);
        foreach (var label in new[] { "Keychain:", computer.Keychain, "Server:", "Computer id:", computerId, "Expires:", "Last contact:" })
        {
            Assert.Contains(label, plainStatus.Output, StringComparison.Ordinal);
        }

        var onServer = await Server.Admin.GetComputerAsync(computerId);
        Assert.Equal(computer.Udid, onServer.GetProperty("udid").GetString());
    }

    [Fact]
    public async Task EnrollWithAWrongCaFingerprintExitsSixAndStoresNothing()
    {
        using var computer = new SimulatedComputer();
        var wrong = new string('0', 64);

        var result = await computer.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", wrong);

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("fingerprint", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(computer.Keychain));
    }

    [Fact]
    public async Task EnrollWithAnUnknownInvitationExitsSix()
    {
        using var computer = new SimulatedComputer();

        var result = await computer.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", "not-a-real-invitation",
            "--ca-fingerprint", Server.CaFingerprint);

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("invitation-invalid", result.Error, StringComparison.Ordinal);
        Assert.Null(Directory.Exists(computer.Keychain) ? Directory.GetFiles(computer.Keychain, "agent.json").SingleOrDefault() : null);
    }

    [Fact]
    public async Task RevokedCertificateIsRejectedWithExitFour()
    {
        using var computer = new SimulatedComputer();
        var computerId = await computer.EnrollAsync(Server);
        await Server.Admin.SetSecurityAsync(true);
        Assert.Equal(0, (await computer.RunAsync("checkin")).ExitCode);

        await Server.Admin.RevokeAsync(computerId);
        var result = await computer.RunAsync("checkin");

        Assert.True(result.ExitCode == 4, result + Server.Log);
        Assert.Contains("certificate-revoked", result.Error, StringComparison.Ordinal);
        Assert.Contains("signet enroll", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedKeychainExitsThree()
    {
        using var computer = new SimulatedComputer();
        await computer.EnrollAsync(Server);
        Directory.Delete(computer.Keychain, recursive: true);

        var result = await computer.RunAsync("checkin");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not enrolled", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeychainCopiedToAnotherComputerIsRefusedAsDeviceMismatch()
    {
        using var original = new SimulatedComputer();
        using var other = new SimulatedComputer();
        await original.EnrollAsync(Server);
        await Server.Admin.SetSecurityAsync(true);
        original.CopyKeychainTo(other);

        var result = await other.RunAsync("checkin");

        Assert.True(result.ExitCode == 4, result + Server.Log);
        Assert.Contains("device-mismatch", result.Error, StringComparison.Ordinal);
        Assert.Contains($"this keychain was enrolled for the computer with hardware UUID {original.Udid}", result.Error, StringComparison.Ordinal);
        Assert.Contains($"`signet enroll --server {Server.ServerUrl} --invitation <code> --keychain {other.Keychain}`", result.Error, StringComparison.Ordinal);
        // The computer the keychain was made for is unaffected.
        Assert.Equal(0, (await original.RunAsync("checkin")).ExitCode);
    }

    [Fact]
    public async Task RemoveFrameworkThenEnrollAgain()
    {
        using var computer = new SimulatedComputer();
        var computerId = await computer.EnrollAsync(Server);

        var removed = await computer.RunJsonAsync("remove-framework", "--yes");
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.False(Directory.Exists(computer.Keychain));
        Assert.Equal(3, (await computer.RunAsync("status")).ExitCode);

        // The server still knows the computer: a general invitation alone is held (docs/lifecycle.md), one the
        // administrator issued for this computer completes it.
        var held = await computer.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint);
        Assert.True(held.ExitCode == 7, held + Server.Log);
        var bound = await computer.RunAsync("enroll", "--invitation", await Server.Admin.CreateReenrollmentInvitationAsync(computerId));
        Assert.True(bound.ExitCode == 0, bound + Server.Log);
        var checkin = await computer.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
    }

    [Fact]
    public async Task EnrollWithEcKeysWorksEndToEnd()
    {
        using var computer = new SimulatedComputer();

        var enroll = await computer.RunJsonAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint, "--key-type", "ec-p256");
        Assert.Equal("ec-p256", enroll.GetProperty("keyType").GetString());

        await Server.Admin.SetSecurityAsync(true);
        Assert.Equal(0, (await computer.RunAsync("checkin")).ExitCode);
        Assert.Equal(0, (await computer.RunAsync("renew")).ExitCode);
        Assert.Equal(0, (await computer.RunAsync("check-connection")).ExitCode);
    }

    [Fact]
    public async Task DaemonChecksInAndStopsCleanlyOnSigterm()
    {
        using var computer = new SimulatedComputer();
        var computerId = await computer.EnrollAsync(Server);

        var start = new System.Diagnostics.ProcessStartInfo(Programs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Programs.AgentDll, "daemon", "--keychain", computer.Keychain })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SIGNET_DEVICE_UDID"] = computer.Udid;
        using var daemon = System.Diagnostics.Process.Start(start)!;
        var error = daemon.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var firstLine = await daemon.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.Contains($"Checked in with {Server.ServerUrl} as computer {computerId}", firstLine, StringComparison.Ordinal);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(timeout.Token);
        }

        await daemon.WaitForExitAsync(timeout.Token);
        Assert.True(daemon.ExitCode == 0, await error);
    }
}
