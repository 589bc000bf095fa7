namespace Signet.EndToEnd.Tests;

/// <summary>Stops its own server, so it does not share the class fixture of the other tests.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ServerStoppedTests
{
    [Fact]
    public async Task ServerStoppedExitsFiveNamingTheServer()
    {
        using var computer = new SimulatedComputer();
        string url;
        await using (var server = await ServerProcess.StartAsync())
        {
            url = server.ServerUrl;
            await computer.EnrollAsync(server);
            Assert.Equal(0, (await computer.RunAsync("checkin")).ExitCode);
            await server.StopAsync();

            var result = await computer.RunAsync("checkin");

            Assert.Equal(5, result.ExitCode);
            Assert.Contains(url, result.Error, StringComparison.Ordinal);
        }

        // status works offline.
        Assert.Equal(0, (await computer.RunAsync("status")).ExitCode);
    }
}
