using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Protocol.Signatures;

/// <summary>An in-memory <see cref="IRequestSigningKey"/>.</summary>
public sealed class RequestSigningKey : IRequestSigningKey
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _secret;

    // Not documented as safe for concurrent use; an agent may sign requests from several threads.
    private readonly Lock _sync = new();

    private RequestSigningKey(string keyId, SignatureAlgorithm algorithm, RSA? rsa = null, ECDsa? ecdsa = null, byte[]? secret = null)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _secret = secret;
    }

    public string KeyId { get; }

    public SignatureAlgorithm Algorithm { get; }

    /// <summary>The device key of the signet-device profile: keyid from the certificate, alg from the key
    /// (RSA: rsa-pss-sha512; P-256: ecdsa-p256-sha256; P-384: ecdsa-p384-sha384). Throws
    /// <see cref="ArgumentException"/> for any other key, or when the key is not the certificate's.</summary>
    public static RequestSigningKey ForDevice(X509Certificate2 certificate, AsymmetricAlgorithm privateKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(privateKey);
        var keyId = KeyIds.FromCertificate(certificate.RawData);
        var algorithm = privateKey switch
        {
            RSA => SignatureAlgorithm.RsaPssSha512,
            ECDsa ecdsa => EcCurves.AlgorithmOf(ecdsa.ExportParameters(false).Curve)
                ?? throw new ArgumentException("Only the P-256 and P-384 curves are supported.", nameof(privateKey)),
            _ => throw new ArgumentException("Device keys are RSA or ECDSA P-256/P-384.", nameof(privateKey)),
        };
        if (!PublicKeys.CertificateHolds(certificate, privateKey))
        {
            throw new ArgumentException("The private key does not belong to the certificate.", nameof(privateKey));
        }

        return privateKey is RSA rsa
            ? new RequestSigningKey(keyId, algorithm, rsa: rsa)
            : new RequestSigningKey(keyId, algorithm, ecdsa: (ECDsa)privateKey);
    }

    /// <summary>Any key under any keyid and algorithm (tests and vectors). Throws <see cref="ArgumentException"/>
    /// when the key's type cannot produce <paramref name="algorithm"/> (use <see cref="CreateHmac"/> for HMAC;
    /// ed25519 is not available on this platform).</summary>
    public static RequestSigningKey Create(string keyId, SignatureAlgorithm algorithm, AsymmetricAlgorithm privateKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(privateKey);
        return (algorithm, privateKey) switch
        {
            (SignatureAlgorithm.RsaPssSha512 or SignatureAlgorithm.RsaV15Sha256, RSA rsa) => new RequestSigningKey(keyId, algorithm, rsa: rsa),
            (SignatureAlgorithm.EcdsaP256Sha256 or SignatureAlgorithm.EcdsaP384Sha384, ECDsa ecdsa)
                when EcCurves.AlgorithmOf(ecdsa.ExportParameters(false).Curve) == algorithm => new RequestSigningKey(keyId, algorithm, ecdsa: ecdsa),
            _ => throw new ArgumentException($"A {privateKey.GetType().Name} key cannot sign {algorithm.ToName()}.", nameof(privateKey)),
        };
    }

    public static RequestSigningKey CreateHmac(string keyId, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        if (secret.IsEmpty)
        {
            throw new ArgumentException("An HMAC secret must not be empty.", nameof(secret));
        }

        return new RequestSigningKey(keyId, SignatureAlgorithm.HmacSha256, secret: secret.ToArray());
    }

    public byte[] Sign(ReadOnlySpan<byte> signatureBase)
    {
        lock (_sync)
        {
            return Algorithm switch
            {
                SignatureAlgorithm.RsaPssSha512 => _rsa!.SignData(signatureBase, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
                SignatureAlgorithm.RsaV15Sha256 => _rsa!.SignData(signatureBase, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                SignatureAlgorithm.EcdsaP256Sha256 => _ecdsa!.SignData(signatureBase, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                SignatureAlgorithm.EcdsaP384Sha384 => _ecdsa!.SignData(signatureBase, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                SignatureAlgorithm.HmacSha256 => HMACSHA256.HashData(_secret!, signatureBase),
                _ => throw new InvalidOperationException($"{Algorithm.ToName()} is not supported."),
            };
        }
    }
}
