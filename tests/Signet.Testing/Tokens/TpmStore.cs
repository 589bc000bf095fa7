namespace Signet.Testing.Tokens;

/// <summary>The software TPM (swtpm behind tpm2-abrmd, as .ci/run starts it) through tpm2-pkcs11, with a token store in
/// this folder (TPM2_PKCS11_STORE).</summary>
public sealed class TpmStore : TokenStore
{
    public const string ModulePath = "/usr/lib/x86_64-linux-gnu/libtpm2_pkcs11.so.1";

    public TpmStore()
        : base(ModulePath, "signet-tpm-") => Environment["TPM2_PKCS11_STORE"] = Folder;

    /// <summary>tpm2-pkcs11 installed and a TPM reachable through tpm2-abrmd (.ci/run exports TPM2_PKCS11_TCTI).</summary>
    public static bool IsReady => File.Exists(ModulePath) && OnPath("tpm2_ptool") && OnPath("pkcs11-tool")
        && !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("TPM2_PKCS11_TCTI"));

    public override async Task InitTokenAsync(string label, string pin)
    {
        await ToolAsync("tpm2_ptool", "init", "--path", Folder);
        await ToolAsync("tpm2_ptool", "addtoken", "--pid=1", "--label=" + label, "--userpin=" + pin, "--sopin=" + SoPin, "--path", Folder);
    }
}
