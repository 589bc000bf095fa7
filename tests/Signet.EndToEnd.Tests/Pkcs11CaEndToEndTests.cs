namespace Signet.EndToEnd.Tests;

/// <summary>The real agent against a real server process whose CA key (RSA-2048, the default) is in a SoftHSM2 token.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pkcs11CaEndToEndTests
{
    [SoftHsmFact]
    public async Task AgentEnrollsChecksInAndRenewsWithAServerWhoseCaKeyIsInAToken()
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var server = await Servers.StartAsync(environment: token.CaEnvironment());
        Assert.Contains($"CA key pkcs11 token '{token.Label}'", server.Log, StringComparison.Ordinal);
        using var computer = new SimulatedComputer();

        await computer.EnrollAsync(server);
        await server.Admin.SetSecurityAsync(true);
        var checkin = await computer.RunAsync("checkin");
        Assert.True(checkin.ExitCode == 0, checkin + server.Log);
        await AssertIssuedByTheCaAsync(computer);

        var renew = await computer.RunAsync("renew");
        Assert.True(renew.ExitCode == 0, renew + server.Log);
        var connection = await computer.RunAsync("check-connection");
        Assert.True(connection.ExitCode == 0, connection + server.Log);
        await AssertIssuedByTheCaAsync(computer);
    }

    /// <summary>openssl checks the certificate the agent holds against the CA the agent pinned at enrollment.</summary>
    private static async Task AssertIssuedByTheCaAsync(SimulatedComputer computer)
    {
        var (exitCode, output) = await ProgramRun.RunAsync("openssl", ["verify", "-purpose", "sslclient",
            "-CAfile", Path.Combine(computer.Keychain, "ca.crt"), Path.Combine(computer.Keychain, "device.crt")]);
        Assert.True(exitCode == 0, output);
    }
}
