using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Protocol.Signatures;

/// <summary>A public (or shared HMAC) key that verifies RFC 9421 signatures, and the algorithms it may be used with.
/// Instances are immutable and safe to cache and share across threads.</summary>
public sealed class VerificationKey
{
    private VerificationKey() => throw new NotImplementedException();

    /// <summary>The algorithms this key's type allows (an RSA key: rsa-pss-sha512 and rsa-v1_5-sha256; a P-256 key: ecdsa-p256-sha256; ...).</summary>
    public IReadOnlySet<SignatureAlgorithm> Algorithms => throw new NotImplementedException();

    /// <summary>The key of a certificate's subject public key. Throws for key types Signet does not support.</summary>
    public static VerificationKey FromCertificate(X509Certificate2 certificate) => throw new NotImplementedException();

    public static VerificationKey FromRsa(RSA publicKey) => throw new NotImplementedException();

    public static VerificationKey FromECDsa(ECDsa publicKey) => throw new NotImplementedException();

    public static VerificationKey FromHmacSecret(ReadOnlySpan<byte> secret) => throw new NotImplementedException();

    /// <summary>True when <paramref name="signature"/> is a valid <paramref name="algorithm"/> signature of
    /// <paramref name="signatureBase"/> under this key; false (never an exception) otherwise.</summary>
    public bool Verify(SignatureAlgorithm algorithm, ReadOnlySpan<byte> signatureBase, ReadOnlySpan<byte> signature) =>
        throw new NotImplementedException();
}
