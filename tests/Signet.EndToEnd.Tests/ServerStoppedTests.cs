namespace Signet.EndToEnd.Tests;

/// <summary>Tests that stop or swap servers, so they start their own instead of sharing a class fixture.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerStoppedTests
{
    [Fact]
    public async Task AServerWhoseTlsCertificateIsNotFromTheEnrolledCaIsRefusedWithExitFive()
    {
        using var computer = new SimulatedComputer();
        await using var genuine = await Servers.StartAsync();
        await using var impostor = await Servers.StartAsync();
        await computer.EnrollAsync(genuine);

        // The impostor has a CA of its own; point the keychain at it as a DNS or proxy attack would.
        var config = Path.Combine(computer.Keychain, "agent.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(genuine.ServerUrl, impostor.ServerUrl, StringComparison.Ordinal));
        var result = await computer.RunAsync("checkin");

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("TLS", result.Error, StringComparison.Ordinal);
        Assert.Contains(impostor.ServerUrl, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStoppedExitsFiveNamingTheServer()
    {
        using var computer = new SimulatedComputer();
        string url;
        // Plain http on a loopback address, the one case where enroll allows it; the other tests use https.
        await using (var server = await Servers.StartAsync(https: false))
        {
            url = server.ServerUrl;
            await computer.EnrollAsync(server);
            Assert.Equal(0, (await computer.RunAsync("checkin")).ExitCode);
            await server.StopAsync();

            var result = await computer.RunAsync("checkin");

            Assert.Equal(5, result.ExitCode);
            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
            Assert.Contains(url, result.Error, StringComparison.Ordinal);
        }

        // status works offline.
        Assert.Equal(0, (await computer.RunAsync("status")).ExitCode);
    }
}
