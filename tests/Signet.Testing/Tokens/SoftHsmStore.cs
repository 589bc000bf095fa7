namespace Signet.Testing.Tokens;

/// <summary>SoftHSM2 tokens in files: a softhsm2.conf over this store's own token folder (SOFTHSM2_CONF names it).
/// Tokens are made with Debian's <c>softhsm2-util</c>; objects are read back with OpenSC's <c>pkcs11-tool</c>.</summary>
public sealed class SoftHsmStore : TokenStore
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";

    /// <param name="settings">More softhsm2.conf lines (e.g. a mechanism filter).</param>
    public SoftHsmStore(string settings = "")
        : base(ModulePath, "signet-softhsm-")
    {
        var tokens = Directory.CreateDirectory(Path.Combine(Folder, "tokens")).FullName;
        ConfigurationFile = Path.Combine(Folder, "softhsm2.conf");
        File.WriteAllText(ConfigurationFile, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n{settings}\n");
        Environment["SOFTHSM2_CONF"] = ConfigurationFile;
    }

    public string ConfigurationFile { get; }

    /// <summary>SoftHSM2 and OpenSC's tool are installed.</summary>
    public static bool IsInstalled => File.Exists(ModulePath) && OnPath("softhsm2-util") && OnPath("pkcs11-tool");

    /// <summary>Why a test needs skipping here (no SoftHSM2), or null; under CI=true never skipped (it fails instead).</summary>
    public static string? SkipReason => IsInstalled || IsCi
        ? null
        : "SoftHSM2 is not installed (apt-get install softhsm2 opensc); with CI=true this test fails instead.";

    public override Task InitTokenAsync(string label, string pin) =>
        ToolAsync("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SoPin, "--pin", pin);
}
