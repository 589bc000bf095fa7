namespace Signet.Agent.Keychain.Tokens;

/// <summary>Which PKCS#11 token holds the device keys: the module (the token's driver library), the token's label and,
/// optionally, a root-only file holding the user PIN (else <c>SIGNET_PKCS11_PIN</c>).</summary>
internal sealed record TokenSettings(string Module, string Token, string? PinFile);
