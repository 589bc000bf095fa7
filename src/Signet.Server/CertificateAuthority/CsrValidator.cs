using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol;

namespace Signet.Server.CertificateAuthority;

/// <summary>Reads a PEM PKCS#10 request, checks its self-signature (proof of possession) and its key type.</summary>
internal static class CsrValidator
{
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";

    /// <summary>The request's public key, or the problem: csr-invalid (unreadable, bad signature) or key-not-allowed.</summary>
    public static (PublicKey? Key, ProblemCode? Problem) Validate(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > 32_768)
        {
            return (null, ProblemCode.CsrInvalid);
        }

        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
        {
            return (null, ProblemCode.CsrInvalid);
        }

        return IsAllowed(request.PublicKey) ? (request.PublicKey, null) : (null, ProblemCode.KeyNotAllowed);
    }

    private static bool IsAllowed(PublicKey key)
    {
        try
        {
            using (var rsa = key.GetRSAPublicKey())
            {
                if (rsa is not null)
                {
                    return rsa.KeySize is >= 2048 and <= 16_384;
                }
            }

            using var ec = key.GetECDsaPublicKey();
            if (ec is null)
            {
                return false;
            }

            var curve = ec.ExportParameters(false).Curve;
            return curve.IsNamed && (curve.Oid.Value is P256 or P384 || curve.Oid.FriendlyName is "nistP256" or "nistP384" or "ECDSA_P256" or "ECDSA_P384");
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
