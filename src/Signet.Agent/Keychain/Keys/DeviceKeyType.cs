namespace Signet.Agent.Keychain.Keys;

/// <summary>Key pair types the agent can generate; the server accepts RSA ≥ 2048 and ECDSA P-256/P-384.</summary>
internal enum DeviceKeyType
{
    Rsa,
    EcP256,
    EcP384,
}
