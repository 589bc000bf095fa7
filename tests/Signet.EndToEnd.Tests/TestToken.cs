using System.Reflection;
using Xunit.Sdk;

namespace Signet.EndToEnd.Tests;

/// <summary>The PKCS#11 tokens the agent is tested with.</summary>
public enum TokenKind
{
    /// <summary>SoftHSM2: a token in files, made per test in a temporary folder (SOFTHSM2_CONF).</summary>
    SoftHsm,

    /// <summary>The software TPM (swtpm behind tpm2-abrmd, started by .ci/run) through tpm2-pkcs11, with a token
    /// store made per test in a temporary folder (TPM2_PKCS11_STORE).</summary>
    Tpm,
}

/// <summary>A fresh token labelled <see cref="Label"/> with user PIN <see cref="Pin"/> in the kit's token store of its
/// kind, and the token's own tools to look at it from outside the agent.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class TestToken : IDisposable
{
    public const string Label = "signet";
    public const string Pin = "123456";

    private readonly TokenStore _store;

    private TestToken(TokenKind kind, TokenStore store)
    {
        Kind = kind;
        _store = store;
    }

    public TokenKind Kind { get; }
    public string Module => _store.Module;

    /// <summary>What the agent (and the token tools) need in their environment to find this token.</summary>
    public Dictionary<string, string> Environment => _store.Environment;

    /// <summary>Makes a token; <paramref name="softHsmSettings"/> are extra softhsm2.conf lines (e.g. a mechanism filter).</summary>
    public static async Task<TestToken> CreateAsync(TokenKind kind, string softHsmSettings = "")
    {
        var token = new TestToken(kind, kind == TokenKind.SoftHsm ? new SoftHsmStore(softHsmSettings) : new TpmStore());
        await token._store.InitTokenAsync(Label, Pin);
        return token;
    }

    /// <summary>The agent options that put the device key on this token.</summary>
    public string[] EnrollOptions => ["--keychain-backend", "pkcs11", "--pkcs11-module", Module, "--pkcs11-token", Label];

    /// <summary>Lets <paramref name="computer"/> use this token: its configuration, and the PIN in SIGNET_PKCS11_PIN.</summary>
    public void Attach(SimulatedComputer computer)
    {
        foreach (var (name, value) in Environment)
        {
            computer.Environment[name] = value;
        }

        computer.Environment["SIGNET_PKCS11_PIN"] = Pin;
    }

    /// <summary>pkcs11-tool's listing of the token's private keys (label, ID, access flags).</summary>
    public async Task<string> ListPrivateKeysAsync() =>
        (await _store.Pkcs11ToolAsync(Label, Pin, "--list-objects", "--type", "privkey")).Output;

    /// <summary>The CKA_IDs (hex) of the token's private keys.</summary>
    public async Task<IReadOnlyList<string>> PrivateKeyIdsAsync() =>
        [.. (await ListPrivateKeysAsync()).Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("ID:", StringComparison.Ordinal)).Select(l => l[3..].Trim())];

    public void Dispose() => _store.Dispose();
}

/// <summary>Which token stacks are installed here, and whether a missing one skips (locally) or fails (CI=true).</summary>
internal static class TokenStacks
{
    public static bool IsCi => TokenStore.IsCi;

    public static bool SoftHsmInstalled => SoftHsmStore.IsInstalled;

    /// <summary>tpm2-pkcs11 installed and a TPM reachable through tpm2-abrmd, as .ci/run sets it up (TPM2_PKCS11_TCTI).</summary>
    public static bool TpmReady => TpmStore.IsReady;
}

/// <summary>A theory row for SoftHSM2: skipped with the reason when it is not installed, except under CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SoftHsmDataAttribute : DataAttribute
{
    public override string? Skip
    {
        get => TokenStacks.SoftHsmInstalled || TokenStacks.IsCi ? null : "SoftHSM2 is not installed (apt-get install softhsm2 opensc); with CI=true this row fails instead.";
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TokenKind.SoftHsm]];
}

/// <summary>A theory row for the software TPM: skipped with the reason when the TPM stack is not running, except
/// under CI=true, where .ci/run starts it and a missing one fails the row.</summary>
[AttributeUsage(AttributeTargets.Method)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class TpmDataAttribute : DataAttribute
{
    public override string? Skip
    {
        get => TokenStacks.TpmReady || TokenStacks.IsCi
            ? null
            : "No software TPM: install swtpm, tpm2-abrmd and libtpm2-pkcs11-1 and start them as .ci/run does (it exports TPM2_PKCS11_TCTI); with CI=true this row fails instead.";
        set { }
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[TokenKind.Tpm]];
}

/// <summary>A test that needs SoftHSM2 alone: skipped with the reason when it is not installed, except under CI=true.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SoftHsmFactAttribute : FactAttribute
{
    public SoftHsmFactAttribute() => Skip = SoftHsmStore.SkipReason;
}
