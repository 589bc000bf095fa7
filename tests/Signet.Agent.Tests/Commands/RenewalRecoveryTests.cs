using System.Text.Json;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.Commands;

/// <summary>Two-phase renewal (docs/lifecycle.md) against the stand-in server, interrupted at each point: before the CSR
/// is sent, after the server's commit but before the keychain write (the answer lost), and refused for good. The
/// swap itself, interrupted, is covered by <c>FileKeychainTests</c>.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RenewalRecoveryTests : IAsyncLifetime, IDisposable
{
    private const string Udid = "UDID-RENEW";
    private const string Renew = "POST /agent/v1/renew signed by " + Udid;

    private readonly TempFolder _temp = new();
    private StandInServer _server = null!;
    private FileKeychain _keychain = null!;

    private string Keychain => _temp.Combine("keychain");
    private Dictionary<string, string> Environment { get; } = new() { ["SIGNET_DEVICE_UDID"] = Udid };

    public async Task InitializeAsync()
    {
        _server = await StandInServer.StartAsync();
        _keychain = new FileKeychain(Keychain);
        var enroll = await RunAsync("enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation, "--key-type", "ec-p256");
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
        _server.Requests.Clear();
        _server.CsrKeys.Clear();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    private Task<CliRunner.Result> RunAsync(params string[] args) => CliRunner.RunAsync([.. args, "--keychain", Keychain], Environment);

    private string CurrentKeyId()
    {
        using var credentials = _keychain.Open()!;
        return credentials.SigningKey.KeyId;
    }

    /// <summary>Where the second request to <paramref name="path"/> is, or past the end when there is none yet.</summary>
    private static int SecondIndexOf(List<string> requests, string path)
    {
        var first = requests.IndexOf(path);
        var second = first < 0 ? -1 : requests.IndexOf(path, first + 1);
        return second < 0 ? requests.Count : second;
    }

    private string? PendingKeyPem()
    {
        using var key = _keychain.OpenPendingRenewalKey();
        return key?.ExportPem();
    }

    private static string PublicKeyOf(string pem)
    {
        using var key = PendingDeviceKey.FromPem(pem)!;
        var csr = System.Security.Cryptography.X509Certificates.CertificateRequest.LoadSigningRequestPem(
            key.CreateSigningRequestPem(Udid), System.Security.Cryptography.HashAlgorithmName.SHA256);
        return Convert.ToHexString(csr.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task TheNewKeyIsStoredBeforeItsCsrIsSent()
    {
        var oldKeyId = CurrentKeyId();
        _server.RefuseWith("/agent/v1/renew", ProblemCode.ServerError, 500);

        var result = await RunAsync("renew");

        Assert.True(result.ExitCode == 1, result.ToString());
        var pending = PendingKeyPem();
        Assert.NotNull(pending);
        Assert.Equal(oldKeyId, CurrentKeyId());
        // The stand-in refused before reading the CSR; what was stored is what the next attempt sends.
        _server.StopRefusing("/agent/v1/renew");
        Assert.Equal(0, (await RunAsync("renew")).ExitCode);
        Assert.Equal(PublicKeyOf(pending), Assert.Single(_server.CsrKeys));
    }

    [Fact]
    public async Task ARenewalAnswerLostAfterTheServersCommitIsFetchedByTheNextCheckIn()
    {
        var oldKeyId = CurrentKeyId();
        _server.DropAnswerTo("/agent/v1/renew");

        var lost = await RunAsync("renew");

        Assert.True(lost.ExitCode == 5, lost.ToString());
        Assert.Equal(oldKeyId, CurrentKeyId()); // the old pair still signs
        Assert.NotNull(PendingKeyPem());
        var status = await RunAsync("status", "--json");
        using (var json = JsonDocument.Parse(status.Output))
        {
            Assert.True(json.RootElement.GetProperty("renewalPending").GetBoolean());
        }

        var checkin = await RunAsync("checkin");

        Assert.True(checkin.ExitCode == 0, checkin.ToString());
        Assert.Contains("finishing a renewal that was interrupted", checkin.Output, StringComparison.Ordinal);
        Assert.Equal([Renew, "POST /agent/v1/checkin signed by " + Udid, Renew], _server.Requests);
        Assert.Equal(2, _server.CsrKeys.Count);
        Assert.Single(_server.CsrKeys.Distinct()); // the same key both times, so the same certificate
        Assert.NotEqual(oldKeyId, CurrentKeyId());
        Assert.Null(PendingKeyPem());
        Assert.DoesNotContain("Renewal:", (await RunAsync("status")).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARenewalKilledBeforeSendingIsFinishedWithTheStoredKey()
    {
        using (var stored = _keychain.GenerateKey(DeviceKeyType.EcP256))
        {
            _keychain.SavePendingRenewalKey(stored);
        }

        var pending = PendingKeyPem()!;
        var status = await RunAsync("status");
        Assert.Contains("Renewal:      a new key waits for its certificate", status.Output, StringComparison.Ordinal);

        var result = await RunAsync("renew", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        Assert.True(json.RootElement.GetProperty("resumed").GetBoolean());
        Assert.Equal(PublicKeyOf(pending), Assert.Single(_server.CsrKeys));
        using var credentials = _keychain.Open()!;
        Assert.Equal(json.RootElement.GetProperty("certificate").GetProperty("keyId").GetString(), credentials.SigningKey.KeyId);
    }

    [Fact]
    public async Task KilledBetweenStoringTheKeyAndItsCertificateTheDaemonFinishesTheRenewal()
    {
        // The server issued a certificate for the stored key (its answer arrived), then the agent died before
        // device.crt.new was written: device.key.new alone, and a certificate waiting on the server.
        var oldKeyId = CurrentKeyId();
        _server.DropAnswerTo("/agent/v1/renew");
        Assert.Equal(5, (await RunAsync("renew")).ExitCode);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // Stop once the daemon sent anything after the second renewal: it stores the answer before its next request,
        // so stopping on the renewal itself could cut it off before the keychain was written.
        var stopAfterRenewal = Task.Run(async () =>
        {
            while (_server.Requests.ToList() is var seen && SecondIndexOf(seen, Renew) >= seen.Count - 1)
            {
                await Task.Delay(5, stop.Token);
            }

            await stop.CancelAsync();
        });

        var daemon = await CliRunner.RunOnJumpingClockAsync(["daemon", "--keychain", Keychain], Environment, stop.Token);

        await stopAfterRenewal;
        Assert.True(daemon.ExitCode == 0, daemon.ToString());
        Assert.Single(_server.CsrKeys.Distinct());
        Assert.NotEqual(oldKeyId, CurrentKeyId());
        Assert.Null(PendingKeyPem());
    }

    [Fact]
    public async Task AKeyTheServerWillNeverCertifyIsForgottenSoTheNextRenewalMakesAnother()
    {
        var oldKeyId = CurrentKeyId();
        _server.RefuseWith("/agent/v1/renew", ProblemCode.KeyNotAllowed, 400);

        var result = await RunAsync("renew");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("key-not-allowed", result.Error, StringComparison.Ordinal);
        Assert.Null(PendingKeyPem());
        Assert.Equal(oldKeyId, CurrentKeyId());
    }

    [Fact]
    public async Task ACheckInAskingForRenewalUsesTheStoredKey()
    {
        using (var stored = _keychain.GenerateKey(DeviceKeyType.EcP256))
        {
            _keychain.SavePendingRenewalKey(stored);
        }

        var pending = PendingKeyPem()!;
        _server.CheckInActions = [AgentActions.Renew];

        var result = await RunAsync("checkin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(PublicKeyOf(pending), Assert.Single(_server.CsrKeys));
    }

    [Theory]
    [InlineData("superseded", "another enrollment replaced it", "administrator revoked")]
    [InlineData("revoked", "an administrator revoked it", "another enrollment")]
    public async Task ARevokedCertificateSaysWhetherAnotherEnrollmentReplacedItOrAnAdministratorRevokedIt(string certificateStatus, string says, string doesNotSay)
    {
        _server.RefuseWith("/agent/v1/checkin", ProblemCode.CertificateRevoked, 401, certificateStatus);

        var result = await RunAsync("checkin");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains(says, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(doesNotSay, result.Error, StringComparison.Ordinal);
        Assert.Contains("administrator", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACompletedSwapIsUsedForTheNextRequest()
    {
        // Killed after both new files were written but before the swap: the next run signs with the new pair.
        using var key = _keychain.GenerateKey(DeviceKeyType.EcP256);
        using var certificate = _server.Ca.Issue(key, Udid);
        AtomicFile.Write(System.IO.Path.Combine(Keychain, FileKeychain.KeyFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(key.ExportPem()));
        AtomicFile.Write(System.IO.Path.Combine(Keychain, FileKeychain.CertificateFileName + FileKeychain.PendingSuffix), System.Text.Encoding.ASCII.GetBytes(certificate.ExportCertificatePem()));

        var result = await RunAsync("checkin");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(KeyIds.FromCertificate(certificate.RawData), CurrentKeyId());
        Assert.DoesNotContain(_server.Requests, r => r.Contains("renew", StringComparison.Ordinal));
    }
}
