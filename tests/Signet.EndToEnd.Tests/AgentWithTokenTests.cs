using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>The real agent with its device key on a PKCS#11 token (SoftHSM2, and the software TPM through
/// tpm2-pkcs11) against a real server: the whole lifecycle, a key that cannot be read out or copied, an interrupted
/// renewal, and the clear refusals.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AgentWithTokenTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private ServerProcess Server => fixture.Server;

    [Theory]
    [SoftHsmData]
    [TpmData]
    public async Task EnrollsChecksInRenewsAndIsRevokedWithTheKeyOnTheToken(TokenKind kind)
    {
        using var token = await TestToken.CreateAsync(kind);
        using var computer = new SimulatedComputer();
        token.Attach(computer);

        var computerId = await EnrollAsync(computer, token);
        var keyFile = await File.ReadAllTextAsync(Path.Combine(computer.Keychain, "device.key"));
        Assert.DoesNotContain("PRIVATE KEY", keyFile, StringComparison.Ordinal);
        var firstId = Assert.Single(await token.PrivateKeyIdsAsync());
        Assert.Contains(firstId, keyFile, StringComparison.Ordinal);

        // Non-exportable as the token itself reports it, and asking it for the secret values gets nothing.
        var facts = TokenProbe.InspectPrivateKey(token, firstId);
        Assert.False(facts.Extractable);
        Assert.True(facts.Sensitive);
        Assert.False(facts.SecretReadable);

        var status = await computer.RunJsonAsync("status");
        var protection = status.GetProperty("keyProtection");
        Assert.Equal("pkcs11", protection.GetProperty("kind").GetString());
        Assert.Equal(TestToken.Label, protection.GetProperty("token").GetString());
        Assert.False(protection.GetProperty("exportable").GetBoolean());
        var plainStatus = await computer.RunAsync("status");
        Assert.Contains("on PKCS#11 token 'signet'", plainStatus.Output, StringComparison.Ordinal);
        Assert.Contains("not exportable", plainStatus.Output, StringComparison.Ordinal);

        // The server records the agent's declaration: a token key, and the token's model.
        var declared = (await Server.Admin.GetComputerAsync(computerId)).GetProperty("certificate").GetProperty("keyProtection");
        Assert.Equal("pkcs11", declared.GetProperty("kind").GetString());
        Assert.Equal(kind == TokenKind.SoftHsm ? "SoftHSM v2" : "SW   TPM", declared.GetProperty("token").GetString());

        // Every request is signed by the token: the server, insisting on signatures, accepts them.
        await Server.Admin.SetSecurityAsync(true);
        var checkin = await computer.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);

        // Renewal makes the new key on the token and removes the old one only after the swap.
        var renew = await computer.RunAsync("renew");
        Assert.True(renew.ExitCode == 0, renew + Server.Log);
        var renewedId = Assert.Single(await token.PrivateKeyIdsAsync());
        Assert.NotEqual(firstId, renewedId);
        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 0, connection + Server.Log);

        await Server.Admin.RevokeAsync(computerId);
        var revoked = await computer.RunAsync("checkin");
        Assert.True(revoked.ExitCode == 4, revoked + Server.Log);
        Assert.Contains("certificate-revoked", revoked.Error, StringComparison.Ordinal);

        var removed = await computer.RunAsync("remove-framework", "--yes");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Empty(await token.PrivateKeyIdsAsync());
        Assert.False(Directory.Exists(computer.Keychain));
    }

    [Theory]
    [SoftHsmData]
    [TpmData]
    public async Task AKeychainFolderCopiedToAnotherComputerHoldsNoUsableKey(TokenKind kind)
    {
        using var token = await TestToken.CreateAsync(kind);
        using var otherToken = await TestToken.CreateAsync(kind);
        using var original = new SimulatedComputer();
        using var copy = new SimulatedComputer();
        token.Attach(original);
        otherToken.Attach(copy);
        await EnrollAsync(original, token);

        original.CopyKeychainTo(copy);
        var checkin = await copy.RunAsync("checkin");

        Assert.True(checkin.ExitCode == 1, checkin + Server.Log);
        Assert.Contains("is not on PKCS#11 token 'signet'", checkin.Error, StringComparison.Ordinal);
        Assert.Contains("made on another computer", checkin.Error, StringComparison.Ordinal);
        var stillWorks = await original.RunAsync("checkin");
        Assert.True(stillWorks.ExitCode == 0, stillWorks + Server.Log);
    }

    [Theory]
    [SoftHsmData]
    [TpmData]
    public async Task ARenewalInterruptedOnTheTokenIsFinishedByTheNextCheckIn(TokenKind kind)
    {
        using var token = await TestToken.CreateAsync(kind);
        using var computer = new SimulatedComputer();
        token.Attach(computer);
        await EnrollAsync(computer, token);
        var oldId = Assert.Single(await token.PrivateKeyIdsAsync());

        // The renewal's request never gets through: the new key is on the token, the old one still signs.
        var config = Path.Combine(computer.Keychain, "agent.json");
        var saved = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, saved.Replace(Server.ServerUrl, "https://127.0.0.1:1", StringComparison.Ordinal));
        var interrupted = await computer.RunAsync("renew");
        Assert.True(interrupted.ExitCode == 5, interrupted.ToString());
        Assert.Equal(2, (await token.PrivateKeyIdsAsync()).Count);
        await File.WriteAllTextAsync(config, saved);
        Assert.True((await computer.RunJsonAsync("status")).GetProperty("renewalPending").GetBoolean());
        var pendingId = Assert.Single(await token.PrivateKeyIdsAsync(), id => id != oldId);

        await Server.Admin.SetSecurityAsync(true);
        var checkin = await computer.RunAsync("checkin");

        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
        Assert.Contains("finishing a renewal that was interrupted", checkin.Output, StringComparison.Ordinal);
        Assert.Equal(pendingId, Assert.Single(await token.PrivateKeyIdsAsync()));
        Assert.False((await computer.RunJsonAsync("status")).GetProperty("renewalPending").GetBoolean());
        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 0, connection + Server.Log);
    }

    [Theory]
    [SoftHsmData]
    [TpmData]
    public async Task AWrongPinIsRefusedClearlyAndStoresNothing(TokenKind kind)
    {
        using var token = await TestToken.CreateAsync(kind);
        using var computer = new SimulatedComputer();
        token.Attach(computer);
        computer.Environment["SIGNET_PKCS11_PIN"] = "999999";

        var result = await computer.RunAsync(["enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint, .. token.EnrollOptions]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("The PIN was refused by PKCS#11 token 'signet'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("999999", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(computer.Keychain, "enrollment.json")));
    }

    [SoftHsmFact]
    public async Task ThePinComesFromARootOnlyFileAndAFileOthersCanReadIsRefused()
    {
        using var token = await TestToken.CreateAsync(TokenKind.SoftHsm);
        using var computer = new SimulatedComputer();
        token.Attach(computer);
        computer.Environment.Remove("SIGNET_PKCS11_PIN");
        var pinFile = Path.Combine(Path.GetDirectoryName(computer.Keychain)!, "pin");
        await File.WriteAllTextAsync(pinFile, TestToken.Pin + "\n");
        File.SetUnixFileMode(pinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);

        var open = await computer.RunAsync(["enroll", "--server", Server.ServerUrl, "--invitation", "unused", .. token.EnrollOptions, "--pkcs11-pin-file", pinFile]);
        Assert.True(open.ExitCode == 2, open.ToString());
        Assert.Contains("is open to other users", open.Error, StringComparison.Ordinal);

        var none = await computer.RunAsync(["enroll", "--server", Server.ServerUrl, "--invitation", "unused", .. token.EnrollOptions]);
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains("SIGNET_PKCS11_PIN", none.Error, StringComparison.Ordinal);

        File.SetUnixFileMode(pinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await EnrollAsync(computer, token, "--pkcs11-pin-file", pinFile);
        var checkin = await computer.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + Server.Log);
        Assert.DoesNotContain(TestToken.Pin, await File.ReadAllTextAsync(Path.Combine(computer.Keychain, "device.key")), StringComparison.Ordinal);
    }

    [SoftHsmFact]
    public async Task AMissingModuleOrTokenIsRefusedWithWhatToDo()
    {
        using var token = await TestToken.CreateAsync(TokenKind.SoftHsm);
        using var computer = new SimulatedComputer();
        token.Attach(computer);
        string[] enroll = ["enroll", "--server", Server.ServerUrl, "--invitation", "unused", "--ca-fingerprint", Server.CaFingerprint, "--keychain-backend", "pkcs11"];

        var missing = await computer.RunAsync([.. enroll, "--pkcs11-module", "/nonexistent/libtoken.so", "--pkcs11-token", TestToken.Label]);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("The PKCS#11 module /nonexistent/libtoken.so does not exist", missing.Error, StringComparison.Ordinal);

        var notAModule = await computer.RunAsync([.. enroll, "--pkcs11-module", Programs.AgentDll, "--pkcs11-token", TestToken.Label]);
        Assert.True(notAModule.ExitCode == 1, notAModule.ToString());
        Assert.Contains("cannot be loaded as a PKCS#11 module", notAModule.Error, StringComparison.Ordinal);

        var noToken = await computer.RunAsync([.. enroll, "--pkcs11-module", token.Module, "--pkcs11-token", "elsewhere"]);
        Assert.True(noToken.ExitCode == 1, noToken.ToString());
        Assert.Contains("No PKCS#11 token labelled 'elsewhere'", noToken.Error, StringComparison.Ordinal);
        Assert.Contains("'signet'", noToken.Error, StringComparison.Ordinal);

        var withoutToken = await computer.RunAsync([.. enroll, "--pkcs11-module", token.Module]);
        Assert.True(withoutToken.ExitCode == 2, withoutToken.ToString());
        Assert.Contains("--pkcs11-token LABEL", withoutToken.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(computer.Keychain));
    }

    [SoftHsmFact]
    public async Task AKeyTypeTheTokenCannotMakeIsRefusedByName()
    {
        using var token = await TestToken.CreateAsync(TokenKind.SoftHsm, "slots.mechanisms = CKM_RSA_PKCS_KEY_PAIR_GEN,CKM_RSA_PKCS,CKM_RSA_PKCS_PSS,CKM_ECDSA");
        using var computer = new SimulatedComputer();
        token.Attach(computer);

        var result = await computer.RunAsync(["enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint, "--key-type", "ec-p256", .. token.EnrollOptions]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("does not support CKM_EC_KEY_PAIR_GEN", result.Error, StringComparison.Ordinal);
        Assert.Contains("choose another --key-type", result.Error, StringComparison.Ordinal);
        Assert.Empty(await token.PrivateKeyIdsAsync());
    }

    [SoftHsmFact]
    public async Task EcdsaKeysOnTheTokenSignRequestsTheServerAccepts()
    {
        using var token = await TestToken.CreateAsync(TokenKind.SoftHsm);
        await Server.Admin.SetSecurityAsync(true);
        foreach (var keyType in new[] { "ec-p256", "ec-p384" })
        {
            using var computer = new SimulatedComputer();
            token.Attach(computer);
            await EnrollAsync(computer, token, "--key-type", keyType);

            var connection = await computer.RunAsync("check-connection");
            Assert.True(connection.ExitCode == 0, connection + Server.Log);
            Assert.Equal(keyType, (await computer.RunJsonAsync("status")).GetProperty("keyType").GetString());
        }
    }

    private async Task<string> EnrollAsync(SimulatedComputer computer, TestToken token, params string[] extra)
    {
        var enrolled = await computer.RunJsonAsync(["enroll", "--server", Server.ServerUrl, "--invitation", await Server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", Server.CaFingerprint, .. token.EnrollOptions, .. extra]);
        Assert.Equal("pkcs11", enrolled.GetProperty("keyProtection").GetString());
        return enrolled.GetProperty("computerId").GetString()!;
    }
}
