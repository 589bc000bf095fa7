using Signet.Server.Hosting;
using Signet.Server.Tests.Infrastructure;
using Signet.Server.Tests.Storage;

namespace Signet.Server.Tests.Pkcs11;

/// <summary>The real signet-server process refuses to start, with one line naming what to fix and the exit code of a
/// setting's value (3; a PIN file others can read is a file's, 4), when its CA token cannot be used; nothing is left half-created.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class Pkcs11CaStartTests
{
    [SoftHsmFact]
    public async Task AWrongPinIsOneLineAndTheSettingsExitCode()
    {
        var token = await SoftHsmToken.CreateAsync();
        var error = await RefusedAsync(token.CaEnvironment(pin: "000000"), ServerExitCodes.Configuration);
        Assert.Contains($"The PKCS#11 token '{token.Label}' refused the PIN", error, StringComparison.Ordinal);
    }

    [SoftHsmFact]
    public async Task AMissingTokenIsOneLineThatNamesTheSetting()
    {
        var token = await SoftHsmToken.CreateAsync();
        var error = await RefusedAsync(token.CaEnvironment(label: "no-such-token"), ServerExitCodes.Configuration);
        Assert.Contains("Signet:Ca:Pkcs11:Token: no token labelled 'no-such-token'", error, StringComparison.Ordinal);
    }

    [SoftHsmFact]
    public async Task AMissingModuleIsOneLineThatNamesTheSetting()
    {
        var token = await SoftHsmToken.CreateAsync();
        var environment = token.CaEnvironment();
        environment["Signet__Ca__Pkcs11__Module"] = "/nonexistent/libpkcs11.so";
        var error = await RefusedAsync(environment, ServerExitCodes.Configuration);
        Assert.Contains("Signet:Ca:Pkcs11:Module: the PKCS#11 module /nonexistent/libpkcs11.so does not exist.", error, StringComparison.Ordinal);
    }

    [SoftHsmFact]
    public async Task APinFileOthersCanReadIsRefused()
    {
        var token = await SoftHsmToken.CreateAsync();
        using var work = new TempFolder();
        var pinFile = work.Write("pin", SoftHsmToken.Pin);
        File.SetUnixFileMode(pinFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var environment = token.CaEnvironment();
        environment.Remove("Signet__Ca__Pkcs11__Pin");
        environment["Signet__Ca__Pkcs11__PinFile"] = pinFile;
        var error = await RefusedAsync(environment, ServerExitCodes.DataFolder);
        Assert.Contains($"The PIN file {pinFile} is readable or writable by other users (mode 0644)", error, StringComparison.Ordinal);
    }

    [SoftHsmTheory, PostgresData]
    public async Task TwoNodesStartingTogetherOnOneTokenMakeOneCaAndKeepOneKey(DatabaseKind kind)
    {
        var token = await SoftHsmToken.CreateAsync();
        await using var database = await TestDatabase.CreateAsync(kind);
        var environment = token.CaEnvironment();
        environment["Signet__Database__Provider"] = "PostgreSQL";
        environment["ConnectionStrings__Signet"] = database.ConnectionString!;
        environment["Signet__MasterKey"] = database.MasterKey;
        var folders = new[] { Directory.CreateTempSubdirectory("signet-pkcs11-node-").FullName, Directory.CreateTempSubdirectory("signet-pkcs11-node-").FullName };
        try
        {
            var nodes = await Task.WhenAll(folders.Select(f => ServerProgram.StartAsync(Path.Combine(f, "data"), settings: environment)));
            await using var a = nodes[0];
            await using var b = nodes[1];
            using var http = new HttpClient();
            Assert.Equal(await http.GetStringAsync(new Uri(a.BaseAddress, "agent/v1/ca")), await http.GetStringAsync(new Uri(b.BaseAddress, "agent/v1/ca")));
            var keys = await token.ToolAsync("--list-objects", "--type", "privkey");
            Assert.Equal(1, keys.Output.Split("Private Key Object").Length - 1);
        }
        finally
        {
            foreach (var folder in folders)
            {
                TempFolder.TryDelete(folder);
            }
        }
    }

    private static async Task<string> RefusedAsync(Dictionary<string, string> environment, int expectedExitCode)
    {
        var data = Directory.CreateTempSubdirectory("signet-pkcs11-start-").FullName;
        try
        {
            var (exitCode, output, error) = await ServerProgram.RunUntilExitAsync(Path.Combine(data, "data"), settings: environment);
            Assert.True(exitCode == expectedExitCode, $"exit {exitCode}\n{output}\n{error}");
            var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Single(lines);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
            Assert.DoesNotContain(SoftHsmToken.Pin, output + error, StringComparison.Ordinal);
            return lines[0];
        }
        finally
        {
            TempFolder.TryDelete(data);
        }
    }
}
