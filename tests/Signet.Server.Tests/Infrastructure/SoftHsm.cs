using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>A real SoftHSM2 token made for one test, in a token folder of this test process (SOFTHSM2_CONF names it, in
/// this process's native environment too, so an in-process server loads the module against it). Tokens are made with
/// Debian's <c>softhsm2-util</c>; objects are read back with OpenSC's <c>pkcs11-tool</c>.</summary>
public sealed class SoftHsmToken
{
    public const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    public const string Pin = "246810";
    public const string SoPin = "13579135";
    public const string KeyLabel = "signet-ca";

    private static readonly Lazy<string> Configuration = new(CreateConfiguration);

    private SoftHsmToken(string label) => Label = label;

    public string Label { get; }

    /// <summary>SOFTHSM2_CONF for processes started by the tests.</summary>
    public static string ConfigurationFile => Configuration.Value;

    /// <summary>Why a test needs skipping here (no SoftHSM2), or null. Under CI=true a missing SoftHSM2 is a failure instead.</summary>
    public static string? SkipReason => File.Exists(Module) || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        ? null
        : "SoftHSM2 is not installed (apt-get install softhsm2 opensc).";

    public static async Task<SoftHsmToken> CreateAsync()
    {
        var label = "t" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var (exitCode, output) = await RunAsync("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", Pin);
        Assert.True(exitCode == 0, output);
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

    /// <summary>Runs <c>pkcs11-tool</c> logged in to this token.</summary>
    public Task<(int ExitCode, string Output)> ToolAsync(params string[] arguments) =>
        RunAsync("pkcs11-tool", ["--module", Module, "--token-label", Label, "--login", "--pin", Pin, .. arguments]);

    public static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SOFTHSM2_CONF"] = ConfigurationFile;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string CreateConfiguration()
    {
        var folder = Directory.CreateTempSubdirectory("signet-softhsm-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "tokens"));
        var file = Path.Combine(folder, "softhsm2.conf");
        File.WriteAllText(file, $"directories.tokendir = {Path.Combine(folder, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        // .NET keeps its own copy of the environment; the module reads the C library's.
        if (SetEnvironmentVariable("SOFTHSM2_CONF", file, 1) != 0)
        {
            throw new InvalidOperationException("setenv(SOFTHSM2_CONF) failed.");
        }

        return file;
    }

#pragma warning disable SYSLIB1054, CA2101 // A plain libc call for the test process only.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int SetEnvironmentVariable(string name, string value, int overwrite);
#pragma warning restore SYSLIB1054, CA2101
}

/// <summary>Tests that load a PKCS#11 module into this process run one at a time: a module is initialised once per
/// process, and a second server host finalising it would pull it from under the first.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class Pkcs11InProcess
{
    public const string Name = "pkcs11 in process";
}

/// <summary>A fact that needs SoftHSM2 (skipped with the reason where it is not installed, failing under CI).</summary>
public sealed class SoftHsmFactAttribute : FactAttribute
{
    public SoftHsmFactAttribute() => Skip = SoftHsmToken.SkipReason;
}

/// <summary>A theory that needs SoftHSM2 (skipped with the reason where it is not installed, failing under CI).</summary>
public sealed class SoftHsmTheoryAttribute : TheoryAttribute
{
    public SoftHsmTheoryAttribute() => Skip = SoftHsmToken.SkipReason;
}
