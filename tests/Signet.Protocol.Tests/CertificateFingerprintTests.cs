using System.Security.Cryptography;
using Signet.Protocol.Device;

namespace Signet.Protocol.Tests;

public sealed class CertificateFingerprintTests
{
    private static readonly byte[] Der = [0x30, 0x03, 0x02, 0x01, 0x05];
    private static readonly string Hex = Convert.ToHexString(SHA256.HashData(Der));

    [Fact]
    public void WritesUppercaseHexPairsSeparatedByColons()
    {
        var fingerprint = CertificateFingerprints.Sha256(Der);

        Assert.Matches("^(?:[0-9A-F]{2}:){31}[0-9A-F]{2}$", fingerprint);
        Assert.Equal(Hex, fingerprint.Replace(":", "", StringComparison.Ordinal));
    }

    [Fact]
    public void AcceptsTheFingerprintWithOrWithoutColonsInAnyCase()
    {
        var colons = CertificateFingerprints.Sha256(Der);

        Assert.True(CertificateFingerprints.Matches(Der, colons));
        Assert.True(CertificateFingerprints.Matches(Der, colons.ToLowerInvariant()));
        Assert.True(CertificateFingerprints.Matches(Der, Hex));
        Assert.True(CertificateFingerprints.Matches(Der, " " + Hex.ToLowerInvariant() + "\n"));
        Assert.Equal(colons, CertificateFingerprints.Normalize(Hex.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("5D:F5")]
    [InlineData("sha256 5DF5")]
    public void RefusesWhatIsNotASha256Fingerprint(string text) => Assert.Null(CertificateFingerprints.TryParse(text));

    [Fact]
    public void RefusesMisplacedColonsATruncatedOrAnotherFingerprint()
    {
        var colons = CertificateFingerprints.Sha256(Der);

        Assert.Null(CertificateFingerprints.TryParse(colons[1..] + "0"));
        Assert.Null(CertificateFingerprints.TryParse(Hex[..62]));
        Assert.False(CertificateFingerprints.Matches(Der, Hex[..^1] + (Hex[^1] == '0' ? '1' : '0')));
    }
}
