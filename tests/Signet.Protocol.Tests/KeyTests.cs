using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;

namespace Signet.Protocol.Tests;

/// <summary>Device signing keys and verification keys: which algorithms each key type gets, refusals, sharing.</summary>
public sealed class KeyTests
{
    private static readonly byte[] Data = "\"@method\": POST"u8.ToArray();

    [Fact]
    public void RsaDeviceKeySignsPssAndItsCertificateAllowsBothRsaAlgorithms()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);

        var signer = RequestSigningKey.ForDevice(certificate, rsa);
        var verifier = VerificationKey.FromCertificate(certificate);

        Assert.Equal(SignatureAlgorithm.RsaPssSha512, signer.Algorithm);
        Assert.Equal(KeyIds.FromCertificate(certificate.RawData), signer.KeyId);
        Assert.Matches("^[0-9a-f]{64}$", signer.KeyId);
        Assert.True(verifier.Algorithms.SetEquals([SignatureAlgorithm.RsaPssSha512, SignatureAlgorithm.RsaV15Sha256]));
        Assert.True(verifier.Verify(SignatureAlgorithm.RsaPssSha512, Data, signer.Sign(Data)));
        Assert.False(verifier.Verify(SignatureAlgorithm.RsaV15Sha256, Data, signer.Sign(Data)));
    }

    [Fact]
    public void PssUsesMgf1Sha512WithA64ByteSalt()
    {
        // .NET has no salt-length knob, so check the encoded message directly: a raw RSA "decrypt" of the signature
        // with the public exponent recovers EM = maskedDB || H || 0xbc, and unmasking DB exposes the salt.
        using var rsa = RSA.Create(2048);
        var signer = RequestSigningKey.Create("k", SignatureAlgorithm.RsaPssSha512, rsa);
        var signature = signer.Sign(Data);
        var p = rsa.ExportParameters(false);
        var em = System.Numerics.BigInteger.ModPow(
            new System.Numerics.BigInteger(signature, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true);
        // BigInteger drops leading zero bytes (about one signature in 128 has one): restore EM's full length.
        em = [.. new byte[p.Modulus!.Length - em.Length], .. em];
        Assert.Equal(0xbc, em[^1]);
        var h = em[^65..^1];
        var maskedDb = em[..^65];
        var mask = Mgf1Sha512(h, maskedDb.Length);
        var db = maskedDb.Select((b, i) => (byte)(b ^ mask[i])).ToArray();
        db[0] &= 0x7f;
        var one = Array.IndexOf(db, (byte)1);
        Assert.True(db[..one].All(b => b == 0));
        Assert.Equal(64, db.Length - one - 1);
    }

    [Theory]
    [InlineData("nistP256", SignatureAlgorithm.EcdsaP256Sha256, 64)]
    [InlineData("nistP384", SignatureAlgorithm.EcdsaP384Sha384, 96)]
    public void EcdsaDeviceKeysSignRawRAndS(string curve, SignatureAlgorithm expected, int length)
    {
        using var ecdsa = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        using var certificate = SelfSigned(ecdsa);

        var signer = RequestSigningKey.ForDevice(certificate, ecdsa);
        var verifier = VerificationKey.FromCertificate(certificate);
        var signature = signer.Sign(Data);

        Assert.Equal(expected, signer.Algorithm);
        Assert.Equal(length, signature.Length);
        Assert.True(verifier.Algorithms.SetEquals([expected]));
        Assert.True(verifier.Verify(expected, Data, signature));
        Assert.False(verifier.Verify(expected, Data, ecdsa.SignData(Data, expected == SignatureAlgorithm.EcdsaP256Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence)));
    }

    [Fact]
    public void UnsupportedCurveIsRefused()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        using var certificate = SelfSigned(ecdsa);

        Assert.Throws<ArgumentException>(() => RequestSigningKey.ForDevice(certificate, ecdsa));
        Assert.Throws<ArgumentException>(() => VerificationKey.FromCertificate(certificate));
    }

    [Fact]
    public void KeyThatIsNotTheCertificatesIsRefused()
    {
        using var rsa = RSA.Create(2048);
        using var other = RSA.Create(2048);
        using var certificate = SelfSigned(rsa);

        Assert.Throws<ArgumentException>(() => RequestSigningKey.ForDevice(certificate, other));
    }

    [Fact]
    public void KeyOfTheWrongTypeForTheAlgorithmIsRefused()
    {
        using var rsa = RSA.Create(2048);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<ArgumentException>(() => RequestSigningKey.Create("k", SignatureAlgorithm.EcdsaP256Sha256, rsa));
        Assert.Throws<ArgumentException>(() => RequestSigningKey.Create("k", SignatureAlgorithm.EcdsaP384Sha384, ecdsa));
        Assert.Throws<ArgumentException>(() => RequestSigningKey.Create("k", SignatureAlgorithm.HmacSha256, ecdsa));
    }

    [Fact]
    public void VerifyNeverThrows()
    {
        using var rsa = RSA.Create(2048);
        var key = VerificationKey.FromRsa(rsa);
        var hmac = VerificationKey.FromHmacSecret([1, 2, 3]);

        foreach (var algorithm in Enum.GetValues<SignatureAlgorithm>().Append((SignatureAlgorithm)99))
        {
            Assert.False(key.Verify(algorithm, Data, []));
            Assert.False(key.Verify(algorithm, Data, new byte[1000]));
            Assert.False(hmac.Verify(algorithm, Data, new byte[3]));
        }
    }

    [Fact]
    public void VerificationKeyIsACopyTheCallerMayDispose()
    {
        var rsa = RSA.Create(2048);
        var signature = rsa.SignData(Data, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
        var key = VerificationKey.FromRsa(rsa);
        rsa.Dispose();

        Assert.True(key.Verify(SignatureAlgorithm.RsaPssSha512, Data, signature));
    }

    [Fact]
    public void OneKeyVerifiesConcurrently()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);
        var ecKey = VerificationKey.FromECDsa(ecdsa);
        var rsaKey = VerificationKey.FromRsa(rsa);
        var ecSignature = ecdsa.SignData(Data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var rsaSignature = rsa.SignData(Data, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);
        var bad = (byte[])rsaSignature.Clone();
        bad[0] ^= 1;
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var ok = (i % 3) switch
            {
                0 => ecKey.Verify(SignatureAlgorithm.EcdsaP256Sha256, Data, ecSignature),
                1 => rsaKey.Verify(SignatureAlgorithm.RsaPssSha512, Data, rsaSignature),
                _ => !rsaKey.Verify(SignatureAlgorithm.RsaPssSha512, Data, bad),
            };
            if (!ok)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void EmptyHmacSecretIsRefused()
    {
        Assert.Throws<ArgumentException>(() => VerificationKey.FromHmacSecret([]));
        Assert.Throws<ArgumentException>(() => RequestSigningKey.CreateHmac("k", []));
    }

    private static X509Certificate2 SelfSigned(AsymmetricAlgorithm key)
    {
        var request = key switch
        {
            RSA rsa => new CertificateRequest("CN=device", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest("CN=device", ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static byte[] Mgf1Sha512(byte[] seed, int length)
    {
        var output = new List<byte>();
        for (var counter = 0; output.Count < length; counter++)
        {
            output.AddRange(SHA512.HashData([.. seed, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]));
        }

        return [.. output.Take(length)];
    }
}
