namespace Signet.Agent.Keychain;

/// <summary>Key pair types the agent can generate; the server accepts RSA ≥ 2048 and ECDSA P-256/P-384.</summary>
internal enum DeviceKeyType
{
    Rsa,
    EcP256,
    EcP384,
}

internal static class DeviceKeyTypes
{
    public static string ToName(this DeviceKeyType type) => type switch
    {
        DeviceKeyType.Rsa => "rsa",
        DeviceKeyType.EcP256 => "ec-p256",
        DeviceKeyType.EcP384 => "ec-p384",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Describe(this DeviceKeyType type) => type switch
    {
        DeviceKeyType.Rsa => "RSA-2048",
        DeviceKeyType.EcP256 => "ECDSA P-256",
        DeviceKeyType.EcP384 => "ECDSA P-384",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
