using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain.Keys;

namespace Signet.Agent.Keychain;

/// <summary>Whether a certificate's public key is the public half of a private key.</summary>
internal static class KeyMatch
{
    // Compared on key parameters rather than SubjectPublicKeyInfo bytes, so a server that re-encodes the
    // public key (e.g. explicit vs. absent RSA NULL parameters) still matches.
    public static bool CertificateMatchesKey(X509Certificate2 certificate, AsymmetricAlgorithm privateKey)
    {
        switch (privateKey)
        {
            case RSA rsa:
            {
                using var certificateKey = certificate.GetRSAPublicKey();
                if (certificateKey is null)
                {
                    return false;
                }

                var a = certificateKey.ExportParameters(includePrivateParameters: false);
                var b = rsa.ExportParameters(includePrivateParameters: false);
                return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
            }

            case ECDsa ec:
            {
                using var certificateKey = certificate.GetECDsaPublicKey();
                if (certificateKey is null)
                {
                    return false;
                }

                var a = certificateKey.ExportParameters(includePrivateParameters: false);
                var b = ec.ExportParameters(includePrivateParameters: false);
                return a.Curve.Oid.Value == b.Curve.Oid.Value
                    && a.Q.X.AsSpan().SequenceEqual(b.Q.X)
                    && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);
            }

            default:
                return false;
        }
    }

    /// <summary>The key type of a private key, or null when it is not one the agent uses.</summary>
    public static DeviceKeyType? TypeOf(AsymmetricAlgorithm key) => key switch
    {
        RSA => DeviceKeyType.Rsa,
        ECDsa { KeySize: 256 } => DeviceKeyType.EcP256,
        ECDsa { KeySize: 384 } => DeviceKeyType.EcP384,
        _ => null,
    };
}
