using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Protocol.Signatures;

/// <summary>An in-memory <see cref="IRequestSigningKey"/>.</summary>
public sealed class RequestSigningKey : IRequestSigningKey
{
    private RequestSigningKey() => throw new NotImplementedException();

    public string KeyId => throw new NotImplementedException();

    public SignatureAlgorithm Algorithm => throw new NotImplementedException();

    /// <summary>The device key of the signet-device profile: keyid from the certificate, alg from the key
    /// (RSA: rsa-pss-sha512; P-256: ecdsa-p256-sha256; P-384: ecdsa-p384-sha384).</summary>
    public static RequestSigningKey ForDevice(X509Certificate2 certificate, AsymmetricAlgorithm privateKey) =>
        throw new NotImplementedException();

    /// <summary>Any key under any keyid and algorithm (tests and vectors).</summary>
    public static RequestSigningKey Create(string keyId, SignatureAlgorithm algorithm, AsymmetricAlgorithm privateKey) =>
        throw new NotImplementedException();

    public static RequestSigningKey CreateHmac(string keyId, ReadOnlySpan<byte> secret) =>
        throw new NotImplementedException();

    public byte[] Sign(ReadOnlySpan<byte> signatureBase) => throw new NotImplementedException();
}
