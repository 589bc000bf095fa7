namespace Signet.EndToEnd.Tests;

/// <summary>The certificate lifecycle of docs/lifecycle.md as the real agent meets it: a second computer claiming an
/// enrolled UDID is held for approval, and a renewal whose answer was lost is finished by the next run.</summary>
public sealed partial class AgentAgainstServerTests
{
    [Fact]
    public async Task ASecondComputerWithTheSameUdidIsHeldUntilApprovedAndThenReplacesTheFirst()
    {
        using var first = new SimulatedComputer();
        using var second = new SimulatedComputer(first.Udid);
        await first.EnrollAsync(Server);

        var held = await second.RunAsync("enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint);
        Assert.True(held.ExitCode == 7, held + Server.Log);
        Assert.Contains("waiting for an administrator's approval", held.Error, StringComparison.Ordinal);
        Assert.Contains("signet enroll --wait", held.Error, StringComparison.Ordinal);

        (await Server.Admin.DecideAsync(await Server.Admin.PendingEnrollmentRequestAsync(first.Udid), "approve")).EnsureSuccessStatusCode();
        var approved = await second.RunAsync("enroll", "--wait", "30");
        Assert.True(approved.ExitCode == 0, approved + Server.Log);
        Assert.Contains("Enrolled with " + Server.ServerUrl, approved.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(second.Keychain, "enrollment.json")));

        // Approval superseded the first computer's certificate: it is told so, not that an administrator revoked it.
        await Server.Admin.SetSecurityAsync(true);
        var superseded = await first.RunAsync("checkin");
        Assert.True(superseded.ExitCode == 4, superseded + Server.Log);
        Assert.Contains("another enrollment replaced it", superseded.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("administrator revoked", superseded.Error, StringComparison.Ordinal);
        var checkin = await second.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
    }

    [Fact]
    public async Task ADeniedEnrollmentExitsSixAndLeavesNothingToContinue()
    {
        using var first = new SimulatedComputer();
        using var second = new SimulatedComputer(first.Udid);
        await first.EnrollAsync(Server);
        var held = await second.RunAsync("enroll", "--server", Server.ServerUrl, "--ca-fingerprint", Server.CaFingerprint);
        Assert.True(held.ExitCode == 7, held + Server.Log);

        (await Server.Admin.DecideAsync(await Server.Admin.PendingEnrollmentRequestAsync(first.Udid), "deny")).EnsureSuccessStatusCode();
        var denied = await second.RunAsync("enroll", "--wait", "30");

        Assert.True(denied.ExitCode == 6, denied + Server.Log);
        Assert.Contains("enrollment-denied", denied.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(second.Keychain, "enrollment.json")));
        Assert.False(File.Exists(Path.Combine(second.Keychain, "enrollment.key")));
    }

    [Fact]
    public async Task ARenewalWhoseAnswerWasLostIsFinishedByTheNextCheckInWithTheSameCertificate()
    {
        using var computer = new SimulatedComputer();
        await computer.EnrollAsync(Server);
        var keyFile = Path.Combine(computer.Keychain, "device.key");
        var certificateFile = Path.Combine(computer.Keychain, "device.crt");
        var oldKey = File.ReadAllBytes(keyFile);
        var oldCertificate = File.ReadAllBytes(certificateFile);

        // The server commits a renewal; then the agent is put back as if the answer never arrived: the old pair
        // current, the new key stored as device.key.new, no certificate for it.
        var renewed = await computer.RunJsonAsync("renew");
        var issuedKeyId = renewed.GetProperty("certificate").GetProperty("keyId").GetString();
        var pendingKeyFile = keyFile + ".new";
        File.WriteAllBytes(pendingKeyFile, File.ReadAllBytes(keyFile));
        File.SetUnixFileMode(pendingKeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllBytes(keyFile, oldKey);
        File.WriteAllBytes(certificateFile, oldCertificate);
        Assert.True((await computer.RunJsonAsync("status")).GetProperty("renewalPending").GetBoolean());

        var checkin = await computer.RunAsync("checkin");

        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
        Assert.Contains("finishing a renewal that was interrupted", checkin.Output, StringComparison.Ordinal);
        var after = await computer.RunJsonAsync("status");
        Assert.Equal(issuedKeyId, after.GetProperty("certificate").GetProperty("keyId").GetString());
        Assert.False(after.GetProperty("renewalPending").GetBoolean());
        await Server.Admin.SetSecurityAsync(true);
        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 0, connection + Server.Log);
    }
}
