using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>Getting the agent onto a computer as an administrator would: the single-file build published with the
/// repository's profile, served by a real server, installed by <c>/install.sh</c> into a temporary root on this Linux
/// computer, enrolled, and checking in.</summary>
public sealed class InstallScriptTests(AgentBuilds builds) : IClassFixture<AgentBuilds>
{
    private const string LinuxX64 = "linux-x64";

    [Fact]
    public async Task InstallScriptInstallsTheBuildEnrollsAndWritesTheSystemdUnit()
    {
        var published = await builds.PublishAsync(LinuxX64);
        await using var server = await StartServerAsync();
        var invitation = await server.Admin.CreateInvitationAsync();
        var root = Directory.CreateTempSubdirectory("signet-e2e-install-root-").FullName;
        var udid = Guid.NewGuid().ToString("D").ToUpperInvariant();

        var install = await RunInstallScriptAsync(server, root, udid, "--invitation", invitation, "--ca-fingerprint", Colons(server.CaFingerprint));

        Assert.True(install.ExitCode == 0, install.ToString());
        var signet = Path.Combine(root, "usr/local/bin/signet");
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(published)), SHA256.HashData(File.ReadAllBytes(signet)));
        Assert.True(OperatingSystem.IsWindows() || (File.GetUnixFileMode(signet) & UnixFileMode.UserExecute) != 0);
        var keychain = Path.Combine(root, "var/lib/signet");
        Assert.True(File.Exists(Path.Combine(keychain, "device.crt")), install.ToString());
        var unit = File.ReadAllText(Path.Combine(root, "etc/systemd/system/signet-agent.service"));
        Assert.Contains($"ExecStart={signet} daemon --keychain {keychain}\n", unit, StringComparison.Ordinal);

        // The installed program itself, not the test build, checks in with the keychain the script made.
        var checkIn = await Programs.RunAsync(signet, ["checkin", "--keychain", keychain, "--json"],
            new Dictionary<string, string> { ["SIGNET_DEVICE_UDID"] = udid }, TimeSpan.FromMinutes(2));
        Assert.True(checkIn.ExitCode == 0, checkIn.ToString());
        var computerId = JsonDocument.Parse(File.ReadAllText(Path.Combine(keychain, "agent.json"))).RootElement.GetProperty("computerId").GetString()!;
        var computer = await server.Admin.GetComputerAsync(computerId);
        Assert.Equal(udid, computer.GetProperty("udid").GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(JsonValueKind.String, computer.GetProperty("lastContactAt").ValueKind);
    }

    [Fact]
    public async Task InstallScriptRefusesAServerWhoseCaDoesNotMatchThePinAndInstallsNothing()
    {
        await builds.PublishAsync(LinuxX64);
        await using var server = await StartServerAsync();
        var invitation = await server.Admin.CreateInvitationAsync();
        var root = Directory.CreateTempSubdirectory("signet-e2e-install-root-").FullName;
        var otherPin = Convert.ToHexString(SHA256.HashData("another server's CA"u8));

        var install = await RunInstallScriptAsync(server, root, Guid.NewGuid().ToString("D"), "--invitation", invitation, "--ca-fingerprint", otherPin);

        Assert.Equal(1, install.ExitCode);
        Assert.Contains("refusing to trust it", install.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.Empty(JsonDocument.Parse(await server.Admin.GetTextAsync("api/v1/computers")).RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("--ca-fingerprint", "not-hex", "must be a SHA-256")]
    [InlineData("--color", "blue", "unknown option --color")]
    public async Task InstallScriptRefusesBadOptionsWithOneLine(string option, string value, string message)
    {
        await using var server = await StartServerAsync();
        var root = Directory.CreateTempSubdirectory("signet-e2e-install-root-").FullName;
        var install = await RunInstallScriptAsync(server, root, "X", "--invitation", "abc", "--ca-fingerprint", Colons(server.CaFingerprint), option, value);
        Assert.NotEqual(0, install.ExitCode);
        Assert.Contains(message, install.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    [Fact]
    public async Task MacArmBuildIsAMachOArm64Executable()
    {
        var published = await builds.PublishAsync("osx-arm64");
        var header = new byte[8];
        await using (var file = File.OpenRead(published))
        {
            await file.ReadExactlyAsync(header);
        }

        // MH_MAGIC_64 (0xfeedfacf) and CPU_TYPE_ARM64 (0x0100000c), both little-endian.
        Assert.Equal(new byte[] { 0xcf, 0xfa, 0xed, 0xfe, 0x0c, 0x00, 0x00, 0x01 }, header);
    }

    private Task<ServerProcess> StartServerAsync() =>
        Servers.StartAsync(environment: new Dictionary<string, string> { ["Signet__AgentDownloads__Directory"] = builds.Folder });

    /// <summary>Fetches <c>/install.sh</c> over TLS trusting only the CA the test pinned (as the console's one-line
    /// command does) and runs it with <c>sh</c> and <c>--root</c>.</summary>
    private static async Task<ProgramResult> RunInstallScriptAsync(ServerProcess server, string root, string udid, params string[] options)
    {
        var ca = Path.Combine(root + "-ca.pem");
        await File.WriteAllTextAsync(ca, await server.Admin.GetTextAsync("agent/v1/ca"));
        var script = $"curl -fsS --cacert '{ca}' '{server.ServerUrl}/install.sh' | sh -s -- {string.Join(' ', options.Select(o => $"'{o}'"))} --root '{root}'";
        return await Programs.RunAsync("sh", ["-c", script], new Dictionary<string, string> { ["SIGNET_DEVICE_UDID"] = udid },
            TimeSpan.FromMinutes(3));
    }

    /// <summary>The project's fingerprint format: uppercase hex pairs separated by colons.</summary>
    private static string Colons(string hex) => string.Join(':', Convert.FromHexString(hex).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
