using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Signet.Agent.Tests.Commands;

public sealed class UsageAndExitCodeTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("status --bogus")]
    [InlineData("enroll --invitation abc")]
    [InlineData("enroll --server https://signet.example --wait -1")]
    [InlineData("enroll --server https://signet.example --wait many")]
    [InlineData("enroll --server https://signet.example --invitation abc --key-type dsa")]
    public async Task UsageErrorsExitWithTwo(string commandLine)
    {
        var result = await CliRunner.RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://signet.example.com")]
    [InlineData("http://10.0.0.5:8080")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("not a url")]
    public async Task EnrollRefusesPlainHttpToAnotherComputerAsUsageError(string server)
    {
        var result = await CliRunner.RunAsync(["enroll", "--server", server, "--invitation", "abc", "--keychain", _temp.Combine("kc")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("https", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("kc")));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("checkin")]
    [InlineData("recon")]
    [InlineData("renew")]
    [InlineData("check-connection")]
    [InlineData("daemon")]
    public async Task CommandsNeedingAKeychainExitWithThreeWithoutOne(string command)
    {
        var result = await CliRunner.RunAsync([command, "--keychain", _temp.Combine("none")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("not enrolled", result.Error, StringComparison.Ordinal);
        Assert.Contains("signet enroll", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeychainComesFromTheEnvironmentWhenNoOptionIsGiven()
    {
        var folder = _temp.Combine("from-env");
        var result = await CliRunner.RunAsync(["status"], new() { ["SIGNET_KEYCHAIN"] = folder });

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(folder, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonFailureIsOneObjectOnStandardOutput()
    {
        var result = await CliRunner.RunAsync(["status", "--json", "--keychain", _temp.Combine("none")]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Contains("signet enroll", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnrollAgainstAClosedPortExitsWithFiveNamingTheServer()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var server = $"http://127.0.0.1:{port}";
        var result = await CliRunner.RunAsync(
            ["enroll", "--server", server, "--invitation", "abc", "--keychain", _temp.Combine("kc")],
            new() { ["SIGNET_DEVICE_UDID"] = "TEST-UDID" });

        Assert.Equal(5, result.ExitCode);
        Assert.Contains(server, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.Combine("kc")));
    }

    [Fact]
    public async Task RemoveFrameworkWithoutKeychainSucceedsAndSaysSo()
    {
        var result = await CliRunner.RunAsync(["remove-framework", "--keychain", _temp.Combine("none")]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nothing to remove", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallDaemonPrintsASystemdUnitRunningTheDaemon()
    {
        var result = await CliRunner.RunAsync(["install-daemon", "--print", "--keychain", "/srv/signet keys"]);

        Assert.Equal(0, result.ExitCode);
        if (OperatingSystem.IsMacOS())
        {
            Assert.Contains("<string>com.signet.agent</string>", result.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("[Service]", result.Output, StringComparison.Ordinal);
            Assert.Matches("ExecStart=.* daemon --keychain \"/srv/signet keys\"", result.Output);
        }
    }

    [Fact]
    public async Task InstallDaemonPassesAKeychainFromTheEnvironmentOnToTheService()
    {
        var result = await CliRunner.RunAsync(["install-daemon", "--print", "--json"], new() { ["SIGNET_KEYCHAIN"] = "/srv/signet" });

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Contains("/srv/signet", json.RootElement.GetProperty("content").GetString(), StringComparison.Ordinal);
    }
}
