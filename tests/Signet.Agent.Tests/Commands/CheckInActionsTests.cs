using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.Commands;

/// <summary><c>checkin</c> carries out the actions the server returns. The stand-in server plays the agent API (the
/// real server cannot be made to ask for a renewal without waiting out two-thirds of a certificate's lifetime); the
/// end-to-end tests cover the real server.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CheckInActionsTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private StandInServer _server = null!;

    private string Keychain => _temp.Combine("keychain");

    private Dictionary<string, string> Environment { get; } = new() { ["SIGNET_DEVICE_UDID"] = "UDID-ACTIONS" };

    public async Task InitializeAsync() => _server = await StandInServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SendsInventoryThenRenewsAndReportsUnknownActions()
    {
        var enroll = await CliRunner.RunAsync(
            ["enroll", "--server", _server.Url, "--invitation", StandInServer.Invitation, "--key-type", "ec-p256", "--keychain", Keychain], Environment);
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
        var keychain = new FileKeychain(Keychain);
        string oldKeyId;
        using (var before = keychain.Open()!)
        {
            oldKeyId = before.SigningKey.KeyId;
        }

        _server.Requests.Clear();
        _server.CheckInActions = [AgentActions.Inventory, AgentActions.Renew, "reboot"];

        var result = await CliRunner.RunAsync(["checkin", "--keychain", Keychain], Environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            ["POST /agent/v1/checkin signed by UDID-ACTIONS", "POST /agent/v1/inventory signed by UDID-ACTIONS", "POST /agent/v1/renew signed by UDID-ACTIONS"],
            _server.Requests);
        Assert.Contains("Sent inventory", result.Output, StringComparison.Ordinal);
        Assert.Contains("Renewed the device certificate", result.Output, StringComparison.Ordinal);
        Assert.Contains("Ignored the action 'reboot'", result.Output, StringComparison.Ordinal);
        using var credentials = keychain.Open()!;
        Assert.NotEqual(oldKeyId, credentials.SigningKey.KeyId);
        Assert.Equal(DeviceKeyType.EcP256, credentials.KeyType);
        Assert.Equal(120, credentials.Config.CheckInIntervalSeconds);
        Assert.NotNull(credentials.Config.LastContactAt);
        Assert.False(credentials.RenewalPending);
    }
}
