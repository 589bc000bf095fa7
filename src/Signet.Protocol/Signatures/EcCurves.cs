using System.Security.Cryptography;

namespace Signet.Protocol.Signatures;

/// <summary>Maps ECDSA curves to the one RFC 9421 algorithm each may be used with.</summary>
internal static class EcCurves
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";

    public static SignatureAlgorithm? AlgorithmOf(ECCurve curve)
    {
        if (!curve.IsNamed)
        {
            return null;
        }

        var oid = curve.Oid.Value;
        var name = curve.Oid.FriendlyName;
        if (oid == P256Oid || name is "nistP256" or "ECDSA_P256" or "secp256r1")
        {
            return SignatureAlgorithm.EcdsaP256Sha256;
        }

        if (oid == P384Oid || name is "nistP384" or "ECDSA_P384" or "secp384r1")
        {
            return SignatureAlgorithm.EcdsaP384Sha384;
        }

        return null;
    }
}
