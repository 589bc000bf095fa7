namespace Signet.Testing.Tokens;

/// <summary>Where PKCS#11 test tokens live: a temporary folder a token module is pointed at through its environment
/// (<see cref="SoftHsmStore"/>, <see cref="TpmStore"/>), deleted on dispose.</summary>
public abstract class TokenStore : IDisposable
{
    public const string SoPin = "13579135";

    protected TokenStore(string module, string prefix)
    {
        Module = module;
        Folder = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The PKCS#11 module (a shared library) that serves this store's tokens.</summary>
    public string Module { get; }

    public string Folder { get; }

    /// <summary>What the module (and the token tools) need in their environment to find this store.</summary>
    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>Makes a token with this label and user PIN.</summary>
    public abstract Task InitTokenAsync(string label, string pin);

    /// <summary>Points the module loaded into this process at this store (a benchmark or an in-process server using it).</summary>
    public void UseInThisProcess()
    {
        foreach (var (name, value) in Environment)
        {
            NativeEnvironment.Set(name, value);
        }
    }

    /// <summary>Runs a token tool against this store; throws unless it exits 0.</summary>
    public Task<Processes.ProgramResult> ToolAsync(string tool, params string[] arguments) =>
        Processes.ProgramRun.RunCheckedAsync(tool, arguments, Environment.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)));

    /// <summary><c>pkcs11-tool</c> logged in to the token <paramref name="label"/> of this store.</summary>
    public Task<Processes.ProgramResult> Pkcs11ToolAsync(string label, string pin, params string[] arguments) =>
        ToolAsync("pkcs11-tool", ["--module", Module, "--token-label", label, "--login", "--pin", pin, .. arguments]);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            TempFolder.TryDelete(Folder);
        }
    }

    /// <summary>Whether a program is on the PATH.</summary>
    public static bool OnPath(string tool) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(folder => File.Exists(Path.Combine(folder, tool)));

    /// <summary>Under CI=true a missing token stack fails a test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
}
