using System.Security.Cryptography;
using Signet.Testing.Processes;

namespace Signet.Testing.Tokens;

/// <summary>A SoftHSM2 token for a CA key made for one test, in a token store shared by the test process (SOFTHSM2_CONF
/// names it in this process's native environment too, so an in-process server loads the module against it).</summary>
public sealed class SoftHsmToken
{
    public const string Module = SoftHsmStore.ModulePath;
    public const string Pin = "246810";
    public const string KeyLabel = "signet-ca";

    private static readonly Lazy<SoftHsmStore> Store = new(() =>
    {
        var store = new SoftHsmStore();
        store.UseInThisProcess();
        return store;
    });

    private SoftHsmToken(string label) => Label = label;

    public string Label { get; }

    /// <summary>SOFTHSM2_CONF for processes started by the tests.</summary>
    public static string ConfigurationFile => Store.Value.ConfigurationFile;

    public static async Task<SoftHsmToken> CreateAsync()
    {
        var label = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        await Store.Value.InitTokenAsync(label, Pin);
        return new SoftHsmToken(label);
    }

    /// <summary>Server settings (configuration keys) for a CA key in this token.</summary>
    public Dictionary<string, string?> CaSettings(string? pin = null, string? label = null) => new()
    {
        ["Signet:Ca:KeyStore"] = "pkcs11",
        ["Signet:Ca:Pkcs11:Module"] = Module,
        ["Signet:Ca:Pkcs11:Token"] = label ?? Label,
        ["Signet:Ca:Pkcs11:Pin"] = pin ?? Pin,
    };

    /// <summary>The same as environment variables for a server process.</summary>
    public Dictionary<string, string> CaEnvironment(string? pin = null, string? label = null)
    {
        var environment = CaSettings(pin, label).ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["SOFTHSM2_CONF"] = ConfigurationFile;
        return environment;
    }

    /// <summary>Runs <c>pkcs11-tool</c> logged in to this token; its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> ToolAsync(params string[] arguments)
    {
        var result = await ProgramRun.RunAsync("pkcs11-tool", ["--module", Module, "--token-label", Label, "--login", "--pin", Pin, .. arguments],
            Store.Value.Environment.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));
        return (result.ExitCode, result.AllOutput);
    }
}
