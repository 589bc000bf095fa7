using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>One simulated managed computer: its own keychain folder and hardware UUID, running the real agent.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class SimulatedComputer : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("signet-e2e-computer-").FullName;

    public SimulatedComputer(string? udid = null)
    {
        Udid = udid ?? Guid.NewGuid().ToString("D").ToUpperInvariant();
        Keychain = Path.Combine(_root, "keychain");
    }

    public string Udid { get; }
    public string Keychain { get; }

    /// <summary>More environment for the agent (a token's configuration and PIN, say).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public Task<ProgramResult> RunAsync(params string[] arguments) =>
        Programs.RunAgentAsync([.. arguments, "--keychain", Keychain], new Dictionary<string, string>(Environment) { ["SIGNET_DEVICE_UDID"] = Udid });

    public async Task<JsonElement> RunJsonAsync(params string[] arguments)
    {
        var result = await RunAsync([.. arguments, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    public async Task<string> EnrollAsync(ServerProcess server)
    {
        var enrolled = await RunJsonAsync("enroll", "--server", server.ServerUrl, "--invitation", await server.Admin.CreateInvitationAsync(),
            "--ca-fingerprint", server.CaFingerprint);
        return enrolled.GetProperty("computerId").GetString()!;
    }

    /// <summary>The keychain as another computer would have it after copying the folder.</summary>
    public void CopyKeychainTo(SimulatedComputer other)
    {
        Directory.CreateDirectory(other.Keychain, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in Directory.GetFiles(Keychain))
        {
            var target = Path.Combine(other.Keychain, Path.GetFileName(file));
            File.Copy(file, target);
            File.SetUnixFileMode(target, File.GetUnixFileMode(file));
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
