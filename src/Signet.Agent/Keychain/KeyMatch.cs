using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain.Keys;

namespace Signet.Agent.Keychain;

/// <summary>Whether a certificate's public key is the public half of a private key.</summary>
internal static class KeyMatch
{
    // Compared on key parameters rather than SubjectPublicKeyInfo bytes, so a server that re-encodes the
    // public key (e.g. explicit vs. absent RSA NULL parameters) still matches.
    public static bool CertificateMatchesKey(X509Certificate2 certificate, AsymmetricAlgorithm privateKey) =>
        Protocol.Device.PublicKeys.CertificateHolds(certificate, privateKey);

    /// <summary>The key type of a private key, or null when it is not one the agent uses.</summary>
    public static DeviceKeyType? TypeOf(AsymmetricAlgorithm key) => key switch
    {
        RSA => DeviceKeyType.Rsa,
        ECDsa { KeySize: 256 } => DeviceKeyType.EcP256,
        ECDsa { KeySize: 384 } => DeviceKeyType.EcP384,
        _ => null,
    };
}
