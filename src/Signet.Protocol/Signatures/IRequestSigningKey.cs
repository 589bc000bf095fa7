namespace Signet.Protocol.Signatures;

/// <summary>A private key that signs RFC 9421 signature bases; kept behind an interface so a
/// Keychain, Secure Enclave or TPM key can stand in for a key in memory.</summary>
public interface IRequestSigningKey
{
    /// <summary>The <c>keyid</c> parameter to send.</summary>
    string KeyId { get; }

    /// <summary>The <c>alg</c> parameter to send.</summary>
    SignatureAlgorithm Algorithm { get; }

    /// <summary>Signs the signature base bytes; ECDSA results are raw r‖s as RFC 9421 §3.3 requires.</summary>
    byte[] Sign(ReadOnlySpan<byte> signatureBase);
}
