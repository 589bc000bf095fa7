namespace Signet.Agent.Keychain.Keys;

/// <summary>The names of <see cref="DeviceKeyType"/>: as <c>--key-type</c> takes them, and as messages describe them.</summary>
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
