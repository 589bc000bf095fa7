using System.Text.Json;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Protocol;

namespace Signet.Agent.Tests.Commands;

/// <summary><c>enroll</c>, and <c>checkin</c>/<c>daemon</c> finishing an enrollment, against the stand-in server:
/// held for approval, approved, denied, gone, and answers lost after the server's commit.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EnrollmentTests : IAsyncLifetime, IDisposable
{
    private const string Udid = "UDID-ENROLL";
    private const string Poll = "GET /agent/v1/enrollment-requests/";
    private const string Enroll = "POST /agent/v1/enroll";

    private readonly TempFolder _temp = new();
    private StandInServer _server = null!;

    private string Keychain => _temp.Combine("keychain");
    private Dictionary<string, string> Environment { get; } = new() { ["SIGNET_DEVICE_UDID"] = Udid };

    public async Task InitializeAsync() => _server = await StandInServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--keychain", Keychain], Environment);

    private Task<CliRunner.Result> RunOnJumpingClockAsync(params string[] args) =>
        CliRunner.RunOnJumpingClockAsync([.. args, "--keychain", Keychain], Environment);

    private string KeychainFile(string name) => System.IO.Path.Combine(Keychain, name);

    private EnrollmentProgress? StoredProgress()
    {
        using var pending = new FileKeychain(Keychain).OpenPendingEnrollment();
        return pending?.Progress;
    }

    /// <summary>A computer the server knows enrolls without a signature: held, exit 7.</summary>
    private async Task<string> HoldAsync()
    {
        _server.KnowComputer(Udid);
        var held = await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation);
        Assert.True(held.ExitCode == 7, held.ToString());
        return Assert.Single(_server.HeldRequestIds);
    }

    private void AssertEnrolledWithTheFirstKey()
    {
        using var credentials = new FileKeychain(Keychain).Open();
        Assert.NotNull(credentials);
        Assert.Single(_server.CsrKeys.Distinct());
        Assert.Null(StoredProgress());
        Assert.False(File.Exists(KeychainFile(FileKeychain.EnrollmentKeyFileName)));
    }

    [Fact]
    public async Task ANewComputerWithAnInvitationEnrollsAndKeepsNothingInProgress()
    {
        var result = await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation, "--key-type", "ec-p256");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Enrolled with " + _server.Url.TrimEnd('/'), result.Output, StringComparison.Ordinal);
        Assert.Equal([Enroll], _server.Requests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)));
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task AKnownComputerIsHeldExitsSevenAndKeepsTheRequest()
    {
        var requestId = await HoldAsync();

        var progress = StoredProgress();
        Assert.NotNull(progress);
        Assert.Equal(requestId, progress.RequestId);
        Assert.Equal(_server.Url.TrimEnd('/'), progress.ServerUrl);
        Assert.Equal(Udid, progress.Udid);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeychainFile(FileKeychain.EnrollmentFileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeychainFile(FileKeychain.EnrollmentKeyFileName)));
        Assert.False(File.Exists(KeychainFile(FileKeychain.ConfigFileName)));

        var status = await RunAsync("status");
        Assert.Equal(7, status.ExitCode);
        Assert.Contains("waiting for an administrator's approval", status.Error, StringComparison.Ordinal);
        Assert.Contains("signet enroll --wait <seconds>", status.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHeldLineSaysWhatHappenedAndHowToGoOn()
    {
        _server.KnowComputer(Udid);

        var held = await RunAsync("enroll", "--server", _server.Url, "--json");

        Assert.Equal(7, held.ExitCode);
        using var json = JsonDocument.Parse(held.Output);
        Assert.Equal(7, json.RootElement.GetProperty("exitCode").GetInt32());
        var error = json.RootElement.GetProperty("error").GetString()!;
        Assert.Contains("waiting for an administrator's approval", error, StringComparison.Ordinal);
        Assert.Contains($"signet enroll --wait <seconds> --keychain {Keychain}", error, StringComparison.Ordinal);
        Assert.Contains("daemon", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Assert.Single(_server.HeldRequestIds), error, StringComparison.Ordinal); // the id is a secret
    }

    [Fact]
    public async Task EnrollWaitFinishesAnApprovedRequestWithTheSameKey()
    {
        var requestId = await HoldAsync();
        _server.Approve(requestId);

        var result = await RunAsync("enroll", "--wait", "30");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([Enroll, Poll + requestId], _server.Requests.Where(r => !r.StartsWith("GET /agent/v1/ca", StringComparison.Ordinal)));
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task EnrollWaitPollsUntilAnAdministratorApproves()
    {
        var requestId = await HoldAsync();
        _server.ApproveAtPoll(requestId, 3);

        var result = await RunOnJumpingClockAsync("enroll", "--wait", "600");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(3, _server.Requests.Count(r => r.StartsWith(Poll, StringComparison.Ordinal)));
        Assert.Contains("asking again in 5 seconds", result.Error, StringComparison.Ordinal);
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task StillHeldWhenTheWaitRunsOutExitsSevenHavingPolledAtTheServersPace()
    {
        _server.KnowComputer(Udid);
        _server.PollAfterSeconds = 5;

        var result = await RunOnJumpingClockAsync("enroll", "--server", _server.Url, "--wait", "12");

        Assert.True(result.ExitCode == 7, result.ToString());
        // Polls at 5 and 10 seconds as asked, then one last at the 12-second deadline.
        Assert.Equal(3, _server.Requests.Count(r => r.StartsWith(Poll, StringComparison.Ordinal)));
        Assert.Contains("asking again in 2 seconds", result.Error, StringComparison.Ordinal);
        Assert.NotNull(StoredProgress());
    }

    [Fact]
    public async Task EnrollingAgainWhileHeldAsksAfterTheSameRequestInsteadOfMakingANewKey()
    {
        var requestId = await HoldAsync();

        var again = await RunAsync("enroll", "--server", _server.Url);

        Assert.True(again.ExitCode == 7, again.ToString());
        Assert.Equal(Poll + requestId, _server.Requests.Last());
        Assert.Single(_server.CsrKeys);
        Assert.Equal(requestId, StoredProgress()!.RequestId);
    }

    [Fact]
    public async Task ANewInvitationForAHeldEnrollmentGoesWithANewKeyToTheSameServer()
    {
        // The server answers a held key with the held request whatever the invitation, so only a new key can use it.
        await HoldAsync();

        var result = await RunAsync("enroll", "--invitation", StandInServer.BoundInvitation);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(StandInServer.BoundInvitation, _server.Invitations.Last());
        Assert.Equal(2, _server.CsrKeys.Distinct().Count());
        Assert.Single(_server.Requests, r => r.StartsWith("GET /agent/v1/ca", StringComparison.Ordinal)); // the CA confirmed before
        Assert.Null(StoredProgress());
    }

    [Fact]
    public async Task AnInvitationGivenAfterALostAnswerIsSentWithTheSameKey()
    {
        _server.DropAnswerTo("/agent/v1/enroll");
        Assert.Equal(5, (await RunAsync("enroll", "--server", _server.Url)).ExitCode);

        var result = await RunAsync("enroll", "--invitation", StandInServer.Invitation);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([null, StandInServer.Invitation], _server.Invitations);
        Assert.Equal(2, _server.CsrKeys.Count);
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task ADeniedEnrollmentExitsSixAndForgetsTheRequest()
    {
        var requestId = await HoldAsync();
        _server.Deny(requestId);

        var result = await RunAsync("enroll", "--wait", "30");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("enrollment-denied", result.Error, StringComparison.Ordinal);
        Assert.Contains("contact your administrator", result.Error, StringComparison.Ordinal);
        Assert.Null(StoredProgress());
        Assert.False(File.Exists(KeychainFile(FileKeychain.EnrollmentKeyFileName)));
        Assert.Equal(2, (await RunAsync("enroll")).ExitCode); // nothing left to continue
    }

    [Fact]
    public async Task ARequestTheServerNoLongerHasExitsSixAndIsForgotten()
    {
        var requestId = await HoldAsync();
        _server.Forget(requestId);

        var result = await RunAsync("enroll");

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("no longer has this computer's enrollment request (not-found)", result.Error, StringComparison.Ordinal);
        Assert.Null(StoredProgress());
    }

    [Fact]
    public async Task AnEnrollAnswerLostAfterTheServersCommitIsFetchedAgainWithTheSameKey()
    {
        _server.DropAnswerTo("/agent/v1/enroll");

        var lost = await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation);
        Assert.True(lost.ExitCode == 5, lost.ToString());
        Assert.NotNull(StoredProgress());
        Assert.False(File.Exists(KeychainFile(FileKeychain.ConfigFileName)));

        var again = await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2, _server.CsrKeys.Count);
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task AHeldAnswerLostAfterTheServersCommitFindsTheSameRequest()
    {
        _server.KnowComputer(Udid);
        _server.DropAnswerTo("/agent/v1/enroll");
        Assert.Equal(5, (await RunAsync("enroll", "--server", _server.Url)).ExitCode);

        var again = await RunAsync("enroll");

        Assert.True(again.ExitCode == 7, again.ToString());
        Assert.Equal(Assert.Single(_server.HeldRequestIds), StoredProgress()!.RequestId);
        Assert.Single(_server.CsrKeys.Distinct());
    }

    [Fact]
    public async Task AnEnrollmentKilledBeforeSendingIsSentWithTheKeyStoredThen()
    {
        var keychain = new FileKeychain(Keychain);
        using var key = keychain.GenerateKey(DeviceKeyType.EcP256);
        using (var ca = new HttpClient())
        {
            var progress = new EnrollmentProgress(_server.Url.TrimEnd('/'), Udid, await ca.GetStringAsync(new Uri(_server.Url + "/agent/v1/ca")))
            {
                Invitation = StandInServer.Invitation,
            };
            keychain.StartEnrollment(progress, key);
        }

        var result = await RunAsync("enroll", "--server", _server.Url);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(StandInServer.Invitation, Assert.Single(_server.Invitations));
        using var credentials = keychain.Open()!;
        Assert.Equal(DeviceKeyType.EcP256, credentials.KeyType);
        // The CA confirmed when the enrollment started is kept, not fetched again (the one fetch is the test's own).
        Assert.Equal(["GET /agent/v1/ca", Enroll], _server.Requests);
    }

    [Fact]
    public async Task AnotherServerStartsANewEnrollment()
    {
        await HoldAsync();
        await using var other = await StandInServer.StartAsync();

        var result = await RunAsync("enroll", "--server", other.Url, "--invitation", StandInServer.Invitation);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Discarding the enrollment in progress", result.Error, StringComparison.Ordinal);
        Assert.Null(StoredProgress());
    }

    [Fact]
    public async Task AnUnknownComputerWithoutAnInvitationIsRefusedAndStartsAfreshNextTime()
    {
        var result = await RunAsync("enroll", "--server", _server.Url);

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("invitation-invalid", result.Error, StringComparison.Ordinal);
        Assert.Null(StoredProgress());
        Assert.False(Directory.Exists(Keychain) && Directory.EnumerateFiles(Keychain).Any());
    }

    [Fact]
    public async Task AComputerWithAWorkingKeychainReEnrollsSignedAtOnce()
    {
        Assert.Equal(0, (await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation)).ExitCode);

        var again = await RunAsync("enroll", "--server", _server.Url);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal($"{Enroll} signed by {Udid}", _server.Requests.Last());
        Assert.Equal(2, _server.CsrKeys.Distinct().Count());
        Assert.Null(StoredProgress());
    }

    [Fact]
    public async Task WhenTheCurrentCertificateIsNoLongerAcceptedTheEnrollmentIsSentUnsignedAndHeld()
    {
        Assert.Equal(0, (await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation)).ExitCode);
        _server.SignedEnrollRefusal = (ProblemCode.CertificateRevoked, 401, "superseded");

        var again = await RunAsync("enroll", "--server", _server.Url);

        Assert.True(again.ExitCode == 7, again.ToString());
        Assert.Equal([$"{Enroll} signed by {Udid}", Enroll], _server.Requests.TakeLast(2));
        var status = await RunAsync("status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("Enrollment:", status.Output, StringComparison.Ordinal);
        Assert.Contains("waits for an administrator's approval", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckInFinishesAnApprovedEnrollmentThenChecksIn()
    {
        var requestId = await HoldAsync();
        _server.Approve(requestId);

        var result = await RunAsync("checkin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("finished the enrollment in progress", result.Output, StringComparison.Ordinal);
        Assert.Contains("Checked in with", result.Output, StringComparison.Ordinal);
        Assert.Equal($"POST /agent/v1/checkin signed by {Udid}", _server.Requests.Last());
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task CheckInWhileStillHeldExitsSeven()
    {
        await HoldAsync();

        var result = await RunAsync("checkin");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.StartsWith(Poll, _server.Requests.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDaemonPollsAHeldEnrollmentAndChecksInOnceApproved()
    {
        var requestId = await HoldAsync();
        _server.ApproveAtPoll(requestId, 3);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stopAfterCheckIn = Task.Run(async () =>
        {
            // The second check-in starts only after the first cycle printed its lines: stopping at the first could
            // cancel its inventory or renewal before it reports (seen on a loaded machine).
            while (_server.Requests.Count(r => r == $"POST /agent/v1/checkin signed by {Udid}") < 2)
            {
                await Task.Delay(5, stop.Token);
            }

            await stop.CancelAsync();
        });

        var result = await CliRunner.RunOnJumpingClockAsync(["daemon", "--keychain", Keychain], Environment, stop.Token);

        await stopAfterCheckIn;
        Assert.Equal(3, _server.Requests.Count(r => r.StartsWith(Poll, StringComparison.Ordinal)));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("waiting for an administrator's approval", result.Error, StringComparison.Ordinal);
        Assert.Contains("finished the enrollment in progress", result.Output, StringComparison.Ordinal);
        AssertEnrolledWithTheFirstKey();
    }

    [Fact]
    public async Task TheDaemonEndsWithSixWhenTheEnrollmentIsDenied()
    {
        var requestId = await HoldAsync();
        _server.Deny(requestId);

        var result = await CliRunner.RunOnJumpingClockAsync(["daemon", "--keychain", Keychain], Environment);

        Assert.True(result.ExitCode == 6, result.ToString());
        Assert.Contains("enrollment-denied", result.Error, StringComparison.Ordinal);
    }
}
