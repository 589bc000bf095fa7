using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Protocol.Device;

/// <summary>Whether two keys are the same key pair's public half. Compared on key parameters (RSA modulus and
/// exponent, EC curve and point) rather than SubjectPublicKeyInfo bytes, so a key re-encoded on the way (explicit or
/// absent RSA NULL parameters, a named or explicit curve) still matches.</summary>
public static class PublicKeys
{
    /// <summary>True when both are RSA or both EC keys with the same public parameters; a private key is compared by its
    /// public half.</summary>
    public static bool Same(AsymmetricAlgorithm a, AsymmetricAlgorithm b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        switch (a, b)
        {
            case (RSA x, RSA y):
            {
                var px = x.ExportParameters(includePrivateParameters: false);
                var py = y.ExportParameters(includePrivateParameters: false);
                return px.Modulus.AsSpan().SequenceEqual(py.Modulus) && px.Exponent.AsSpan().SequenceEqual(py.Exponent);
            }

            case (ECDsa x, ECDsa y):
            {
                var px = x.ExportParameters(includePrivateParameters: false);
                var py = y.ExportParameters(includePrivateParameters: false);
                return SameCurve(px.Curve, py.Curve) && px.Q.X.AsSpan().SequenceEqual(py.Q.X) && px.Q.Y.AsSpan().SequenceEqual(py.Q.Y);
            }

            default:
                return false;
        }
    }

    /// <summary>True when <paramref name="key"/> is the key the certificate certifies.</summary>
    public static bool CertificateHolds(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using AsymmetricAlgorithm? certified = key switch
        {
            RSA => certificate.GetRSAPublicKey(),
            ECDsa => certificate.GetECDsaPublicKey(),
            _ => null,
        };
        return certified is not null && Same(certified, key);
    }

    /// <summary>True when <paramref name="key"/> is the key a DER SubjectPublicKeyInfo describes; false when the bytes are
    /// not a key of the same kind.</summary>
    public static bool Matches(AsymmetricAlgorithm key, ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        ArgumentNullException.ThrowIfNull(key);
        using AsymmetricAlgorithm other = key is RSA ? RSA.Create() : ECDsa.Create();
        try
        {
            other.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        catch (CryptographicException)
        {
            return false;
        }

        return Same(key, other);
    }

    private static bool SameCurve(ECCurve a, ECCurve b) =>
        a.Oid?.Value is { } oid ? oid == b.Oid?.Value : a.Oid?.FriendlyName == b.Oid?.FriendlyName;
}
