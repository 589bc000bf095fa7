using Net.Pkcs11Interop.Common;
using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>Turns a token's return value into one line that says what happened and what to do.</summary>
internal static class TokenErrors
{
    /// <summary>How <c>doing</c> starts for a key generation.</summary>
    public const string Generating = "generating";

    public static KeychainException Translate(Pkcs11Exception e, string token, string doing) => new(e.RV switch
    {
        CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_INVALID or CKR.CKR_PIN_LEN_RANGE =>
            $"The PIN was refused by {token} ({e.RV}); set {TokenPin.EnvironmentVariable} or the PIN file to the token's user PIN (repeated wrong PINs lock the token).",
        CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_EXPIRED =>
            $"{token} has locked its user PIN ({e.RV}); unlock it with the security officer PIN, then run the command again.",
        // Tokens report a full store vaguely (SoftHSM2 on a full disk: CKR_FUNCTION_FAILED; a TPM out of object slots:
        // CKR_GENERAL_ERROR), so a failed generation says what is most likely.
        CKR.CKR_DEVICE_MEMORY or CKR.CKR_HOST_MEMORY or CKR.CKR_DEVICE_ERROR or CKR.CKR_FUNCTION_FAILED or CKR.CKR_GENERAL_ERROR
            when doing.StartsWith(Generating, StringComparison.Ordinal) =>
            $"{token} could not make and store another key ({e.RV}): it is probably full; delete keys it no longer needs (pkcs11-tool --list-objects), or use another token.",
        CKR.CKR_MECHANISM_INVALID or CKR.CKR_MECHANISM_PARAM_INVALID or CKR.CKR_KEY_SIZE_RANGE or CKR.CKR_CURVE_NOT_SUPPORTED
            or CKR.CKR_DOMAIN_PARAMS_INVALID or CKR.CKR_KEY_TYPE_INCONSISTENT or CKR.CKR_TEMPLATE_INCONSISTENT =>
            $"{token} does not support what {doing} needs ({e.RV}); choose another --key-type (rsa, ec-p256, ec-p384) or another token.",
        CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_DEVICE_REMOVED or CKR.CKR_SLOT_ID_INVALID =>
            $"{token} is not present ({e.RV}); insert it (for a TPM, check its daemon runs) and run the command again.",
        _ => $"{token} failed while {doing} ({e.RV}); check the token with its own tools (pkcs11-tool --list-objects) and run the command again.",
    }, e);
}
