using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>The real <c>signet-server</c> program as an operator or a service manager meets it: help and version
/// without side effects, and every start it cannot make as one line and its own exit code.</summary>
public sealed class ServerCommandLineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("signet-e2e-cli-").FullName;

    private string Data => Path.Combine(_folder, "data");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("--help", "usage: signet-server")]
    [InlineData("-h", "usage: signet-server")]
    [InlineData("--version", "signet-server 1.")]
    public async Task HelpAndVersionPrintAndLeaveNoDataFolderBehind(string argument, string expected)
    {
        var result = await Programs.RunServerAsync([argument], _folder, new Dictionary<string, string> { ["Signet__DataDirectory"] = Data });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(expected, result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task HelpListsTheExitCodes()
    {
        var result = await Programs.RunServerAsync(["--help"], _folder);
        foreach (var item in new[] { "backup --to FILE", "restore --from FILE", "migrate-data", "Exit codes", "6 database unreachable" })
        {
            Assert.Contains(item, result.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("serve", 2, "signet-server --help")]
    [InlineData("--Signet:Ca:KeyAlgorithm=DSA-1024", 3, "Signet:Ca:KeyAlgorithm")]
    [InlineData("--Signet:Tls:LifetimeDays=1", 3, "Signet:Tls:LifetimeDays")]
    [InlineData("--Signet:MasterKey=not-a-key", 3, "Signet:MasterKey")]
    [InlineData("--Signet:Database:Provider=Oracle", 3, "Signet:Database:Provider")]
    [InlineData("--Signet:Database:Provider=PostgreSQL", 3, "ConnectionStrings:Signet")]
    [InlineData("--urls=htp:/nowhere", 5, "--urls")]
    public async Task AMisconfigurationIsOneLineNamingTheSettingAndLeavesNothingBehind(string argument, int exitCode, string setting)
    {
        var result = await Programs.RunServerAsync([argument], _folder, Settings());

        AssertRefused(result, exitCode, setting);
        Assert.False(Directory.Exists(Data), "nothing is created for a start that cannot succeed");
    }

    [Fact]
    public async Task AnAddressInUseIsOneLineAndExitCode5()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var result = await Programs.RunServerAsync(["--urls", $"http://127.0.0.1:{port}"], _folder, Settings());

        AssertRefused(result, 5, "--urls");
        Assert.Contains($"127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADataFolderThatCannotBeMadeIsOneLineAndExitCode4()
    {
        var file = Path.Combine(_folder, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        var result = await Programs.RunServerAsync([], _folder, Settings(Path.Combine(file, "data")));

        AssertRefused(result, 4, "Signet:DataDirectory");
    }

    [Fact]
    public async Task AnUnreachableDatabaseIsOneLineAndExitCode6()
    {
        var closedPort = FreePort.Next();
        var settings = Settings();
        settings["Signet__Database__Provider"] = "PostgreSQL";
        settings["ConnectionStrings__Signet"] = $"Host=127.0.0.1;Port={closedPort};Username=signet;Password=x;Database=signet;Timeout=3";

        var result = await Programs.RunServerAsync([], _folder, settings);

        AssertRefused(result, 6, "ConnectionStrings:Signet");
    }

    [Fact]
    public async Task AnotherMasterKeyThanTheDatabasesIsOneLineAndExitCode3()
    {
        await using var first = await Servers.StartAsync(https: false, dataDirectory: Data, environment: Settings());
        await first.StopAsync();

        var settings = Settings();
        settings["Signet__MasterKey"] = Convert.ToBase64String(new byte[32]);
        var result = await Programs.RunServerAsync([], _folder, settings);

        AssertRefused(result, 3, "master key");
    }

    [Fact]
    public async Task TheBannerIsAStructuredLogEventNamingTheConsoleConsolePagesLogNoCacheWarningAndLoopbackReadsMetrics()
    {
        await using var server = await Servers.StartAsync(https: false, environment: new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256",
        });
        using (var login = await server.Http.GetAsync(new Uri("console/login", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            Assert.Contains("no-store", login.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }

        // Prometheus on the same machine reads the metrics without a token.
        using (var metrics = await server.Http.GetAsync(new Uri("metrics", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Contains("signet_certificates", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await server.StopAsync();
        var events = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var banner = events.Single(e => e.GetProperty("Category").GetString() == "Signet.Server.Hosting.Banner" && e.GetProperty("EventId").GetInt32() == 1);
        var state = banner.GetProperty("State");
        Assert.Equal($"{server.ServerUrl}/console", state.GetProperty("ConsoleUrl").GetString());
        Assert.Equal(server.CaFingerprint.Replace(":", "", StringComparison.Ordinal), state.GetProperty("CaFingerprint").GetString()!.Replace(":", "", StringComparison.Ordinal), ignoreCase: true);
        Assert.DoesNotContain(events, e => e.GetProperty("Message").GetString()!.Contains("Cache-Control", StringComparison.Ordinal));
    }

    private Dictionary<string, string> Settings(string? data = null) => new()
    {
        ["Signet__DataDirectory"] = data ?? Data,
        ["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256",
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePort.Next()}",
    };

    private static void AssertRefused(ProgramResult result, int exitCode, string setting)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(setting, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output + result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Output + result.Error, StringComparison.Ordinal);
    }
}
