using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.Tests.Units;

/// <summary>The CA writes certificates itself (<see cref="CertificateDer"/>) and checks CSR keys from their DER
/// (<see cref="CsrValidator.IsAllowed"/>), to keep OpenSSL 3's decoders off the enrollment path. Both are held to what
/// .NET's own certificate builder and key import say.</summary>
public sealed class CertificateDerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 4, 5, 678, TimeSpan.Zero);

    public static TheoryData<string, int> Validities => new()
    {
        { "fractional seconds, UTCTime", 30 },
        { "past 2049, GeneralizedTime", 365 * 40 },
    };

    [Theory, MemberData(nameof(Validities))]
    public void AnRsaSignedCertificateIsByteForByteWhatDotNetBuilds(string validity, int days)
    {
        _ = validity;
        using var caKey = RSA.Create(2048);
        using var ca = SelfSignedCa(new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var generator = X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1);
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = DeviceRequest(deviceKey, ca);
        var serial = IssuanceProfile.NewSerialNumber();

        // PKCS#1 v1.5 signatures are deterministic: the whole certificate must match.
        using var expected = request.Create(ca.SubjectName, generator, Now, Now.AddDays(days), serial);
        var der = CertificateDer.Sign(ca.SubjectName, generator, HashAlgorithmName.SHA256, serial, Now, Now.AddDays(days),
            request.SubjectName, request.PublicKey, request.CertificateExtensions);

        Assert.Equal(Convert.ToHexString(expected.RawData), Convert.ToHexString(der));
    }

    [Fact]
    public void AnEcdsaSignedCertificateHasDotNetsFieldsAndAValidSignature()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var ca = SelfSignedCa(new CertificateRequest("CN=Test CA", caKey, HashAlgorithmName.SHA384));
        var generator = X509SignatureGenerator.CreateForECDsa(caKey);
        using var deviceKey = RSA.Create(2048);
        var request = DeviceRequest(deviceKey, ca, HashAlgorithmName.SHA384);
        var serial = IssuanceProfile.NewSerialNumber();

        using var expected = request.Create(ca.SubjectName, generator, Now, Now.AddDays(30), serial);
        var der = CertificateDer.Sign(ca.SubjectName, generator, HashAlgorithmName.SHA384, serial, Now, Now.AddDays(30),
            request.SubjectName, request.PublicKey, request.CertificateExtensions);

        Assert.Equal(Convert.ToHexString(ToBeSigned(expected.RawData)), Convert.ToHexString(ToBeSigned(der)));
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(Convert.ToHexString(serial), certificate.SerialNumber);
        Assert.Equal(CertificateDer.Truncate(Now), new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero));
    }

    public static TheoryData<string> Keys => new()
    {
        "rsa-1024", "rsa-2048", "rsa-3072", "rsa-4096", "rsa-2047", "rsa-2048-exponent-3", "p256", "p384", "p521", "p256-explicit",
    };

    [Theory, MemberData(nameof(Keys))]
    public void TheKeyCheckAgreesWithImportingTheKey(string kind)
    {
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(SubjectPublicKeyInfo(kind), out _);
        Assert.Equal(AllowedWhenImported(publicKey), CsrValidator.IsAllowed(publicKey));
    }

    [Fact]
    public void KeysThatDoNotDecodeAreNotAllowed()
    {
        using var rsa = RSA.Create(2048);
        var good = PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _);
        var truncated = new PublicKey(good.Oid, good.EncodedParameters, new AsnEncodedData(good.EncodedKeyValue.RawData[..^3]));
        Assert.False(CsrValidator.IsAllowed(truncated));

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var point = PublicKey.CreateFromSubjectPublicKeyInfo(ec.ExportSubjectPublicKeyInfo(), out _);
        var compressed = new PublicKey(point.Oid, point.EncodedParameters,
            new AsnEncodedData([(byte)(0x02 | (point.EncodedKeyValue.RawData[^1] & 1)), .. point.EncodedKeyValue.RawData[1..33]]));
        Assert.False(CsrValidator.IsAllowed(compressed));

        // A P-256 point under the P-384 name, and an EC key without its curve.
        var p384 = PublicKey.CreateFromSubjectPublicKeyInfo(ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportSubjectPublicKeyInfo(), out _);
        Assert.False(CsrValidator.IsAllowed(new PublicKey(point.Oid, p384.EncodedParameters, point.EncodedKeyValue)));
        Assert.False(CsrValidator.IsAllowed(new PublicKey(point.Oid, new AsnEncodedData([0x05, 0x00]), point.EncodedKeyValue)));

        // A negative modulus: the same bytes written as a signed integer (a 2048-bit modulus starts with its top bit set).
        var parameters = rsa.ExportParameters(false);
        byte[] Encoded(bool signed)
        {
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                if (signed)
                {
                    writer.WriteInteger(parameters.Modulus);
                }
                else
                {
                    writer.WriteIntegerUnsigned(parameters.Modulus);
                }

                writer.WriteIntegerUnsigned(parameters.Exponent);
            }

            return writer.Encode();
        }

        var positive = Encoded(signed: false);
        var negative = Encoded(signed: true);
        Assert.True(CsrValidator.IsAllowed(new PublicKey(good.Oid, good.EncodedParameters, new AsnEncodedData(positive))));
        Assert.False(CsrValidator.IsAllowed(new PublicKey(good.Oid, good.EncodedParameters, new AsnEncodedData(negative))));
    }

    /// <summary>What the check said before it read the DER: import the key and ask it.</summary>
    private static bool AllowedWhenImported(PublicKey key)
    {
        try
        {
            if (key.GetRSAPublicKey() is { } rsa)
            {
                using (rsa)
                {
                    return rsa.KeySize is >= 2048 and <= 16_384 &&
                        rsa.ExportParameters(false).Exponent.AsSpan().TrimStart((byte)0).SequenceEqual(new byte[] { 1, 0, 1 });
                }
            }

            using var ec = key.GetECDsaPublicKey()!;
            var curve = ec.ExportParameters(false).Curve;
            return curve.IsNamed && curve.Oid.Value is "1.2.840.10045.3.1.7" or "1.3.132.0.34";
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[] SubjectPublicKeyInfo(string kind)
    {
        switch (kind)
        {
            case "rsa-2048-exponent-3":
            {
                // An RSAPublicKey with exponent 3 around a real modulus: the check reads, it does not compute.
                using var rsa = RSA.Create(2048);
                var parameters = rsa.ExportParameters(false);
                parameters.Exponent = [3];
                using var three = RSA.Create(parameters);
                return three.ExportSubjectPublicKeyInfo();
            }

            case "rsa-2047":
            {
                // One bit short: a 2048-bit modulus with its top bit cleared.
                using var rsa = RSA.Create(2048);
                var parameters = rsa.ExportParameters(false);
                parameters.Modulus![0] &= 0x7F;
                using var shorter = RSA.Create(parameters);
                return shorter.ExportSubjectPublicKeyInfo();
            }

            case var rsa when rsa.StartsWith("rsa-", StringComparison.Ordinal):
            {
                using var key = RSA.Create(int.Parse(rsa[4..], System.Globalization.CultureInfo.InvariantCulture));
                return key.ExportSubjectPublicKeyInfo();
            }

            case "p256-explicit":
            {
                using var named = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                using var key = ECDsa.Create(named.ExportExplicitParameters(false));
                return key.ExportSubjectPublicKeyInfo();
            }

            default:
            {
                using var key = ECDsa.Create(kind switch
                {
                    "p256" => ECCurve.NamedCurves.nistP256,
                    "p384" => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                });
                return key.ExportSubjectPublicKeyInfo();
            }
        }
    }

    private static X509Certificate2 SelfSignedCa(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(50));
    }

    private static CertificateRequest DeviceRequest(AsymmetricAlgorithm key, X509Certificate2 ca, HashAlgorithmName? hash = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName("UDID-0000-1111");
        var publicKey = key switch
        {
            RSA rsa => PublicKey.CreateFromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo(), out _),
            _ => PublicKey.CreateFromSubjectPublicKeyInfo(((ECDsa)key).ExportSubjectPublicKeyInfo(), out _),
        };
        var request = new CertificateRequest(subject.Build(), publicKey, hash ?? HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("urn:signet:computer:0123"));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        return request;
    }

    private static byte[] ToBeSigned(byte[] certificate) =>
        new AsnReader(certificate, AsnEncodingRules.DER).ReadSequence().ReadEncodedValue().ToArray();
}
