using System.Security.Cryptography;
using Signet.Agent.ServerClient;

namespace Signet.Agent.Tests.ServerClient;

public sealed class TrustTests
{
    [Theory]
    [InlineData("https://signet.example.com", "https://signet.example.com/")]
    [InlineData("https://signet.example.com/base/", "https://signet.example.com/base")]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://127.8.9.10:5000", "http://127.8.9.10:5000/")]
    [InlineData("http://localhost:5000", "http://localhost:5000/")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000/")]
    public void AcceptsHttpsAndLoopbackHttp(string text, string expected)
    {
        var (url, error) = ServerAddress.Parse(text);

        Assert.Null(error);
        Assert.Equal(expected, url!.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://signet.example.com")]
    [InlineData("http://192.168.1.10")]
    [InlineData("http://127.0.0.1.example.com")]
    [InlineData("https://signet.example.com/?x=1")]
    [InlineData("signet.example.com")]
    public void RefusesEverythingElse(string text) => Assert.NotNull(ServerAddress.Parse(text).Error);

    [Fact]
    public void FingerprintComparisonIgnoresCaseAndColons()
    {
        using var ca = new TestCa();
        var hex = Convert.ToHexString(SHA256.HashData(ca.Certificate.RawData));

        Assert.Equal(string.Join(':', hex.Chunk(2).Select(c => new string(c))), CaTrust.Fingerprint(ca.Certificate));
        Assert.True(CaTrust.Matches(ca.Certificate, hex.ToLowerInvariant()));
        Assert.True(CaTrust.Matches(ca.Certificate, CaTrust.Fingerprint(ca.Certificate)));
        Assert.False(CaTrust.Matches(ca.Certificate, hex[..32]));
        Assert.False(CaTrust.Matches(ca.Certificate, hex[..^1] + (hex[^1] == '0' ? '1' : '0')));
    }

    [Fact]
    public void ParsesACaBundleAndToleratesGarbage()
    {
        using var ca = new TestCa();

        Assert.Single(CaTrust.ParseBundle(ca.Certificate.ExportCertificatePem()));
        Assert.Empty(CaTrust.ParseBundle("<html>not a certificate</html>"));
    }
}
