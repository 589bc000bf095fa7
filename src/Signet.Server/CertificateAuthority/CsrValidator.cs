using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol;

namespace Signet.Server.CertificateAuthority;

/// <summary>Reads a PEM PKCS#10 request, checks its key type (docs/api.md) and its self-signature (proof of
/// possession). Never throws: anything the CA will not certify is <c>key-not-allowed</c>, anything unreadable
/// <c>csr-invalid</c>.</summary>
internal static class CsrValidator
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";
    private const string P256 = "1.2.840.10045.3.1.7";
    private const string P384 = "1.3.132.0.34";
    private static readonly byte[] Exponent65537 = [0x01, 0x00, 0x01];

    // sha256/384/512WithRSAEncryption, RSASSA-PSS, ecdsa-with-SHA256/384/512.
    private static readonly string[] SignatureAlgorithms =
    [
        "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.10",
        "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4",
    ];

    /// <summary>The request's public key, or the problem: csr-invalid (unreadable, bad signature) or key-not-allowed.</summary>
    public static (PublicKey? Key, ProblemCode? Problem) Validate(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem) || pem.Length > 32_768)
        {
            return (null, ProblemCode.CsrInvalid);
        }

        // The key first, without the signature: a key we would never certify is key-not-allowed even when the
        // platform cannot check a signature made with it (Ed25519, DSA, unknown algorithms).
        if (Load(pem, CertificateRequestLoadOptions.SkipSignatureValidation) is not { } unverified)
        {
            return (null, ProblemCode.CsrInvalid);
        }

        if (!IsAllowed(unverified.PublicKey) || SignatureAlgorithm(pem) is not { } algorithm || !SignatureAlgorithms.Contains(algorithm))
        {
            return (null, ProblemCode.KeyNotAllowed);
        }

        return Load(pem, CertificateRequestLoadOptions.Default) is { } verified ? (verified.PublicKey, null) : (null, ProblemCode.CsrInvalid);
    }

    private static CertificateRequest? Load(string pem, CertificateRequestLoadOptions options)
    {
        try
        {
            return CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256, options);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The OID of the request's own signature algorithm (CertificationRequest.signatureAlgorithm), or null
    /// when the structure cannot be read that far.</summary>
    private static string? SignatureAlgorithm(string pem)
    {
        try
        {
            var fields = PemEncoding.Find(pem);
            var der = Convert.FromBase64String(pem[fields.Base64Data]);
            var request = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            request.ReadEncodedValue(); // certificationRequestInfo
            return request.ReadSequence().ReadObjectIdentifier();
        }
        catch (Exception e) when (e is AsnContentException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static bool IsAllowed(PublicKey key)
    {
        try
        {
            switch (key.Oid.Value)
            {
                case RsaOid:
                {
                    using var rsa = key.GetRSAPublicKey();
                    return rsa is not null && rsa.KeySize is >= 2048 and <= 16_384 &&
                        rsa.ExportParameters(false).Exponent.AsSpan().TrimStart((byte)0).SequenceEqual(Exponent65537);
                }

                case EcOid:
                {
                    using var ec = key.GetECDsaPublicKey();
                    if (ec is null)
                    {
                        return false;
                    }

                    var curve = ec.ExportParameters(false).Curve;
                    return curve.IsNamed && (curve.Oid.Value is P256 or P384 ||
                        curve.Oid.FriendlyName is "nistP256" or "nistP384" or "ECDSA_P256" or "ECDSA_P384");
                }

                default:
                    return false;
            }
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }
}
