using System.Formats.Asn1;
using System.Numerics;
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

    /// <summary>RSA of 2048 to 16384 bits with exponent 65537, or a named P-256 or P-384 key with an uncompressed point.
    /// Read from the key's DER, not by handing the key to the crypto library: OpenSSL 3 costs more to import a key than
    /// to verify with it, and the signature check below imports it once anyway.</summary>
    internal static bool IsAllowed(PublicKey key)
    {
        try
        {
            switch (key.Oid.Value)
            {
                case RsaOid:
                {
                    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
                    var rsa = new AsnReader(key.EncodedKeyValue.RawData, AsnEncodingRules.DER);
                    var fields = rsa.ReadSequence();
                    rsa.ThrowIfNotEmpty();
                    var modulus = fields.ReadIntegerBytes().Span;
                    var exponent = fields.ReadIntegerBytes().Span;
                    fields.ThrowIfNotEmpty();
                    if (modulus.IsEmpty || modulus[0] >= 0x80 || exponent.IsEmpty || exponent[0] >= 0x80)
                    {
                        return false; // negative
                    }

                    var significant = modulus.TrimStart((byte)0);
                    var bits = significant.IsEmpty ? 0 : (significant.Length * 8) - BitOperations.LeadingZeroCount((uint)significant[0]) + 24;
                    return bits is >= 2048 and <= 16_384 && exponent.TrimStart((byte)0).SequenceEqual(Exponent65537);
                }

                case EcOid:
                {
                    // ECParameters: a named curve only (RFC 5480 §2.1.1), then the point as 04 || X || Y.
                    if (key.EncodedParameters?.RawData is not { } encodedParameters)
                    {
                        return false;
                    }

                    var parameters = new AsnReader(encodedParameters, AsnEncodingRules.DER);
                    var curve = parameters.ReadObjectIdentifier();
                    parameters.ThrowIfNotEmpty();
                    var point = key.EncodedKeyValue.RawData;
                    var coordinate = curve switch
                    {
                        P256 => 32,
                        P384 => 48,
                        _ => 0,
                    };
                    return coordinate > 0 && point.Length == 1 + (2 * coordinate) && point[0] == 0x04;
                }

                default:
                    return false;
            }
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
