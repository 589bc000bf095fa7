using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Protocol.Signatures;

/// <summary>A public (or shared HMAC) key that verifies RFC 9421 signatures, and the algorithms it may be used with.
/// Instances are immutable and safe to cache and share across threads.</summary>
public sealed class VerificationKey
{
    private static readonly FrozenSet<SignatureAlgorithm> RsaAlgorithms =
        FrozenSet.Create(SignatureAlgorithm.RsaPssSha512, SignatureAlgorithm.RsaV15Sha256);

    private static readonly FrozenSet<SignatureAlgorithm> P256Algorithms = FrozenSet.Create(SignatureAlgorithm.EcdsaP256Sha256);
    private static readonly FrozenSet<SignatureAlgorithm> P384Algorithms = FrozenSet.Create(SignatureAlgorithm.EcdsaP384Sha384);
    private static readonly FrozenSet<SignatureAlgorithm> HmacAlgorithms = FrozenSet.Create(SignatureAlgorithm.HmacSha256);

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _secret;

    // The platform does not document RSA/ECDsa instances as safe for concurrent use, so calls on one key are
    // serialized. Contention is rare: one key belongs to one device, which sends requests one at a time.
    private readonly Lock _sync = new();

    private VerificationKey(FrozenSet<SignatureAlgorithm> algorithms, RSA? rsa = null, ECDsa? ecdsa = null, byte[]? secret = null)
    {
        Algorithms = algorithms;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _secret = secret;
    }

    /// <summary>The algorithms this key's type allows (an RSA key: rsa-pss-sha512 and rsa-v1_5-sha256; a P-256 key: ecdsa-p256-sha256; ...).</summary>
    public IReadOnlySet<SignatureAlgorithm> Algorithms { get; }

    /// <summary>The key of a certificate's subject public key. Throws <see cref="ArgumentException"/> for key types
    /// Signet does not support (anything but RSA, P-256 and P-384).</summary>
    public static VerificationKey FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return FromRsa(rsa);
            }
        }

        using (var ecdsa = certificate.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                return FromECDsa(ecdsa);
            }
        }

        throw new ArgumentException("The certificate's key is neither RSA nor ECDSA P-256/P-384.", nameof(certificate));
    }

    /// <summary>An RSA public key (copied: the caller keeps ownership of <paramref name="publicKey"/>).</summary>
    public static VerificationKey FromRsa(RSA publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return new VerificationKey(RsaAlgorithms, rsa: RSA.Create(publicKey.ExportParameters(includePrivateParameters: false)));
    }

    /// <summary>An ECDSA P-256 or P-384 public key (copied). Throws <see cref="ArgumentException"/> for other curves.</summary>
    public static VerificationKey FromECDsa(ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var parameters = publicKey.ExportParameters(includePrivateParameters: false);
        var algorithms = EcCurves.AlgorithmOf(parameters.Curve) switch
        {
            SignatureAlgorithm.EcdsaP256Sha256 => P256Algorithms,
            SignatureAlgorithm.EcdsaP384Sha384 => P384Algorithms,
            _ => throw new ArgumentException("Only the P-256 and P-384 curves are supported.", nameof(publicKey)),
        };

        return new VerificationKey(algorithms, ecdsa: ECDsa.Create(parameters));
    }

    /// <summary>A shared secret for hmac-sha256 (copied).</summary>
    public static VerificationKey FromHmacSecret(ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            throw new ArgumentException("An HMAC secret must not be empty.", nameof(secret));
        }

        return new VerificationKey(HmacAlgorithms, secret: secret.ToArray());
    }

    /// <summary>True when <paramref name="signature"/> is a valid <paramref name="algorithm"/> signature of
    /// <paramref name="signatureBase"/> under this key; false (never an exception) otherwise, including for an
    /// algorithm this key does not allow and for ed25519, which the platform does not offer.</summary>
    public bool Verify(SignatureAlgorithm algorithm, ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature)
    {
        if (!Algorithms.Contains(algorithm))
        {
            return false;
        }

        try
        {
            return algorithm switch
            {
                SignatureAlgorithm.RsaPssSha512 => VerifyRsa(signatureBase, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
                SignatureAlgorithm.RsaV15Sha256 => VerifyRsa(signatureBase, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                SignatureAlgorithm.EcdsaP256Sha256 => VerifyEcdsa(signatureBase, signature, HashAlgorithmName.SHA256, 64),
                SignatureAlgorithm.EcdsaP384Sha384 => VerifyEcdsa(signatureBase, signature, HashAlgorithmName.SHA384, 96),
                SignatureAlgorithm.HmacSha256 => VerifyHmac(signatureBase, signature),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private bool VerifyRsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, RSASignaturePadding padding)
    {
        // PSS in .NET signs and verifies with a salt as long as the hash: 64 bytes for SHA-512, as RFC 9421 §3.3.1 requires.
        lock (_sync)
        {
            return _rsa!.VerifyData(data, signature, hash, padding);
        }
    }

    private bool VerifyEcdsa(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature, HashAlgorithmName hash, int length)
    {
        if (signature.Length != length)
        {
            return false;
        }

        lock (_sync)
        {
            return _ecdsa!.VerifyData(data, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
    }

    private bool VerifyHmac(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_secret, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, signature);
    }
}
