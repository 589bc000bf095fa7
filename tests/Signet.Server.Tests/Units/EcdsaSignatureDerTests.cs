using System.Security.Cryptography;
using Signet.Server.CertificateAuthority.Pkcs11;

namespace Signet.Server.Tests.Units;

/// <summary>A token's ECDSA signature (r‖s) becomes the DER X.509 carries. r or s starts with a zero byte in about one
/// signature in 128; the CA must not fail on those (found by the ca-sign benchmark).</summary>
public sealed class EcdsaSignatureDerTests
{
    [Fact]
    public void SignaturesWhoseHalvesStartWithZeroBytesConvertAndVerify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var data = new byte[32];
        var seen = (RLeadingZero: false, SLeadingZero: false);
        for (var i = 0; i < 20_000 && !(seen.RLeadingZero && seen.SLeadingZero); i++)
        {
            RandomNumberGenerator.Fill(data);
            var raw = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            seen = (seen.RLeadingZero || raw[0] == 0, seen.SLeadingZero || raw[32] == 0);
            var der = Pkcs11Token.EcdsaSignatureDer(raw);
            Assert.True(key.VerifyData(data, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        Assert.True(seen.RLeadingZero && seen.SLeadingZero, "no signature with a leading zero byte came up");
    }

    [Fact]
    public void AllZeroHalvesStayOneByte()
    {
        Assert.Equal("3006020100020100", Convert.ToHexString(Pkcs11Token.EcdsaSignatureDer(new byte[64])));
        Assert.Equal("300702010002020080", Convert.ToHexString(Pkcs11Token.EcdsaSignatureDer([.. new byte[31], 0x00, .. new byte[31], 0x80])));
    }
}
