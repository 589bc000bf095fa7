using Signet.Protocol.Digests;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>RFC 9530 Content-Digest, against the RFC's own values (Vectors/rfc9530).</summary>
public sealed class ContentDigestTests
{
    public static TheoryData<string, string, string, string> DigestRows()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var line in File.ReadLines(Vectors.PathOf("rfc9530/digests.tsv")).Skip(1))
        {
            var c = line.Split('\t');
            if (c[4] is "sha-256" or "sha-512")
            {
                data.Add($"{c[0]} {c[3]}", c[4], c[5], c[7]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DigestRows))]
    public void ComputesTheRfcValues(string example, string algorithm, string body, string expectedBase64)
    {
        Assert.NotEmpty(example); // names the RFC example, and keeps rows that share a value distinct
        var bytes = Vectors.Bytes("rfc9530/" + body);
        var value = ContentDigest.Compute(bytes, algorithm == "sha-256" ? DigestAlgorithm.Sha256 : DigestAlgorithm.Sha512);

        Assert.Equal($"{algorithm}=:{expectedBase64}:", value);
        Assert.Equal(DigestCheck.Match, ContentDigest.Verify(value, bytes));
    }

    [Fact]
    public void DefaultIsSha256AndCoversAnEmptyBody() =>
        Assert.Equal("sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:", ContentDigest.Compute([]));

    [Fact]
    public void BothAlgorithmsMustMatchWhenBothArePresent()
    {
        var body = Vectors.Bytes("rfc9530/bodies/hello-world.json");
        var both = $"{ContentDigest.Compute(body)}, {ContentDigest.Compute(body, DigestAlgorithm.Sha512)}";
        var otherSha512 = ContentDigest.Compute(Vectors.Bytes("rfc9530/bodies/hello-world-lf.json"), DigestAlgorithm.Sha512);

        Assert.Equal(DigestCheck.Match, ContentDigest.Verify(both, body));
        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify($"{ContentDigest.Compute(body)}, {otherSha512}", body));
    }

    [Fact]
    public void RfcTwoAlgorithmExampleParsesButNoBodySatisfiesBothMembers()
    {
        // RFC 9530 §2's second example hashes the brotli form with sha-256 and the identity form with sha-512.
        var line = File.ReadLines(Vectors.PathOf("rfc9530/field-values-as-printed.tsv")).Single(l => l.StartsWith("s2-b", StringComparison.Ordinal));
        var value = line.Split('\t')[2]["Content-Digest: ".Length..];

        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify(value, Vectors.Bytes("rfc9530/bodies/hello-world-lf.br")));
        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify(value, Vectors.Bytes("rfc9530/bodies/hello-world-lf.json")));
    }

    [Fact]
    public void MismatchedBodyIsAMismatch()
    {
        var value = ContentDigest.Compute("{\"hello\": \"world\"}"u8);
        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify(value, "{\"hello\": \"World\"}"u8));
    }

    [Fact]
    public void UnknownAlgorithmsAreIgnored()
    {
        var body = "x"u8.ToArray();
        Assert.Equal(DigestCheck.Match, ContentDigest.Verify($"sha-1024=:AAAA:, {ContentDigest.Compute(body)}, id-sha-256=:AAAA:", body));
    }

    [Theory]
    [InlineData("md5=:Sd/dVLAcvNLSq16eXua5uQ==:")]
    [InlineData("sha=:07CavjDP4u3/TungoUHJO/Wzr4c=:")]
    [InlineData("unixsum=:GQU=:, unixcksum=:7zsHAA==:, adler=:OZkGFw==:, crc32c=:Q3lHIA==:")]
    public void OnlyDeprecatedAlgorithmsIsMalformed(string value) =>
        Assert.Equal(DigestCheck.Malformed, ContentDigest.Verify(value, Vectors.Bytes("rfc9530/bodies/hello-world.json")));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha-256")] // a boolean, not a byte sequence
    [InlineData("sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"")] // a string
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")] // unterminated
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:,")] // trailing comma
    [InlineData("SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")] // uppercase key
    [InlineData("sha-256=:X48E9q*okqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:")] // not base64
    [InlineData("sha-256=(:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:)")] // inner list
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBP =:")] // a space where base64 is due
    [InlineData("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBP\t=:")]
    public void UnparseableOrWrongTypeIsMalformed(string? value) =>
        Assert.Equal(DigestCheck.Malformed, ContentDigest.Verify(value, Vectors.Bytes("rfc9530/bodies/hello-world.json")));

    [Fact]
    public void ExtraPaddingAsPrintedInTheRfcIsMalformed()
    {
        // RFC 9530 B.5/B.6/B.11/C.1 print one "=" too many (see Vectors/rfc9530/README.md note 1).
        var body = Vectors.Bytes("rfc9530/bodies/hello-world-lf.json");
        Assert.Equal(DigestCheck.Malformed, ContentDigest.Verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:", body));
        Assert.Equal(DigestCheck.Match, ContentDigest.Verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:", body));
    }

    [Fact]
    public void MissingPaddingIsAccepted() =>
        Assert.Equal(DigestCheck.Match, ContentDigest.Verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg:", Vectors.Bytes("rfc9530/bodies/hello-world-lf.json")));

    [Fact]
    public void TruncatedDigestIsAMismatch() =>
        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify("sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8Fa:", Vectors.Bytes("rfc9530/bodies/hello-world-lf.json")));
}
