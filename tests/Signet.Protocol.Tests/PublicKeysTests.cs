using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Protocol.Tests;

public sealed class PublicKeysTests
{
    [Fact]
    public void AKeyMatchesItsOwnCertificate()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsaCertificate = SelfSigned(rsa);
        using var ecCertificate = SelfSigned(ec);

        Assert.True(PublicKeys.CertificateHolds(rsaCertificate, rsa));
        Assert.True(PublicKeys.CertificateHolds(ecCertificate, ec));
    }

    [Fact]
    public void AnotherKeyDoesNotMatch()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var larger = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(key);

        Assert.False(PublicKeys.CertificateHolds(certificate, other));
        Assert.False(PublicKeys.CertificateHolds(certificate, larger));
        Assert.False(PublicKeys.CertificateHolds(certificate, rsa));
        Assert.False(PublicKeys.Same(key, rsa));
    }

    [Fact]
    public void MatchesTheKeysSubjectPublicKeyInfo()
    {
        using var key = RSA.Create(2048);
        using var other = RSA.Create(2048);

        Assert.True(PublicKeys.Matches(key, key.ExportSubjectPublicKeyInfo()));
        Assert.False(PublicKeys.Matches(key, other.ExportSubjectPublicKeyInfo()));
        Assert.False(PublicKeys.Matches(key, [0x30, 0x00]));
    }

    [Fact]
    public void MatchesAnRsaKeyReEncodedWithoutNullParameters()
    {
        using var key = RSA.Create(2048);
        var reEncoded = WithoutAlgorithmParameters(key.ExportRSAPublicKey());

        Assert.NotEqual(key.ExportSubjectPublicKeyInfo(), reEncoded);
        Assert.True(PublicKeys.Matches(key, reEncoded));
    }

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest("CN=test", ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("Not a key the tests use.", nameof(key)),
        };
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-1), now.AddDays(1));
    }

    /// <summary>rsaEncryption with the algorithm's NULL parameters left out, as some encoders write it.</summary>
    private static byte[] WithoutAlgorithmParameters(byte[] rsaPublicKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
            }

            writer.WriteBitString(rsaPublicKey);
        }

        return writer.Encode();
    }
}
