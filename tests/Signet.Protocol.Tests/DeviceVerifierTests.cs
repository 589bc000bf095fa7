using System.Text;
using Signet.Protocol.Device;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>The signet-device profile's refusals: each problem code, and the order in which checks decide.</summary>
public sealed class DeviceVerifierTests : IDisposable
{
    private const string Required = "\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\" \"signet-device\"";
    private readonly TestDevice _device = new("p256");

    public void Dispose() => _device.Dispose();

    private long Now => _device.Time.GetUtcNow().ToUnixTimeSeconds();

    private static string Nonce => "\"" + Convert.ToBase64String(new byte[24]).Replace('+', '-').Replace('/', '_').TrimEnd('=') + "\"";

    private string Parameters(string? alg = "ecdsa-p256-sha256", long? created = null, string? extra = null) =>
        $";created={created ?? Now};nonce={Nonce};keyid=\"{_device.KeyId}\"" + (alg is null ? "" : $";alg=\"{alg}\"") + extra;

    [Fact]
    public void UnsignedRequestIsSignatureRequired()
    {
        var received = _device.Post();
        received.SetHeader("Signature-Input", null);
        received.SetHeader("Signature", null);

        var result = _device.Verify(received);

        Assert.Equal(ProblemCode.SignatureRequired, result.Problem);
        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData("Signature-Input")]
    [InlineData("Signature")]
    public void OneFieldWithoutTheOtherIsMalformed(string removed)
    {
        var received = _device.Post();
        received.SetHeader(removed, null);
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData("Signature-Input", "sig1=(\"@method\"")]
    [InlineData("Signature-Input", "sig1=(\"@method\");created=1.5.5")]
    [InlineData("Signature-Input", "Sig1=(\"@method\")")]
    [InlineData("Signature-Input", "")]
    [InlineData("Signature", "sig1=:not base64:")]
    [InlineData("Signature", "sig1=\"c3RyaW5n\"")] // a string, not a byte sequence
    [InlineData("Signature", "sig1=(:AAAA:)")]
    [InlineData("Signature-Input", "sig1=\"@method\"")] // not an inner list
    [InlineData("Signature-Input", "sig1=(1 2)")] // identifiers must be strings
    public void UnparseableOrWrongShapeIsMalformed(string field, string value)
    {
        var received = _device.Post();
        received.SetHeader(field, value);
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void TwoSignaturesAreMalformed()
    {
        var received = _device.Post();
        received.SetHeader("Signature-Input", received.Header("Signature-Input") + ", " + received.Header("Signature-Input")!.Replace("sig1=", "sig2=", StringComparison.Ordinal));
        received.SetHeader("Signature", received.Header("Signature") + ", " + received.Header("Signature")!.Replace("sig1=", "sig2=", StringComparison.Ordinal));
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void RepeatedLabelIsMalformed()
    {
        // RFC 8941 keeps the last of a repeated dictionary key; the profile refuses the field instead.
        var received = _device.Post();
        received.SetHeader("Signature-Input", received.Header("Signature-Input") + ", " + received.Header("Signature-Input"));
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void SecondSignatureInAnotherFieldLineIsMalformed()
    {
        var received = _device.Post();
        received.Headers.Add(new("Signature", received.Header("Signature")!.Replace("sig1=", "sig2=", StringComparison.Ordinal)));
        received.Headers.Add(new("Signature-Input", received.Header("Signature-Input")!.Replace("sig1=", "sig2=", StringComparison.Ordinal)));
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void DifferentLabelsAreMalformed()
    {
        var received = _device.Post();
        received.SetHeader("Signature", received.Header("Signature")!.Replace("sig1=", "sig2=", StringComparison.Ordinal));
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void AnyLabelIsAccepted()
    {
        var received = Sign($"({Required}){Parameters()}", label: "device-signature");
        Assert.True(_device.Verify(received).Succeeded, _device.Verify(received).Detail);
    }

    [Fact]
    public void FurtherCoveredComponentsAreAccepted()
    {
        var received = Sign($"(\"content-type\" {Required} \"@target-uri\"){Parameters()};tag=\"signet\"");
        var result = _device.Verify(received);
        Assert.True(result.Succeeded, result.Detail);
    }

    [Fact]
    public void SignatureInputOver8KiBIsMalformed()
    {
        var received = _device.Post();
        received.SetHeader("Signature-Input", received.Header("Signature-Input") + $";tag=\"{new string('a', 8 * 1024)}\"");
        var result = _device.Verify(received);
        Assert.Equal(ProblemCode.SignatureMalformed, result.Problem);
        Assert.Contains("8 KiB", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void SignatureOver8KiBIsMalformed()
    {
        var received = _device.Post();
        received.SetHeader("Signature", $"sig1=:{Convert.ToBase64String(new byte[6200])}:");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void ThirtyTwoComponentsAreAcceptedAndThirtyThreeAreNot()
    {
        var received = _device.Post();
        for (var i = 0; i < 27; i++)
        {
            received.SetHeader($"x-extra-{i}", "v");
        }

        var extras26 = string.Join(' ', Enumerable.Range(0, 26).Select(i => $"\"x-extra-{i}\""));
        var ok = Sign($"({Required} {extras26}){Parameters()}", received);
        Assert.True(_device.Verify(ok).Succeeded);

        var extras27 = string.Join(' ', Enumerable.Range(0, 27).Select(i => $"\"x-extra-{i}\""));
        var tooMany = Sign($"({Required} {extras27}){Parameters()}", received);
        var result = _device.Verify(tooMany);
        Assert.Equal(ProblemCode.SignatureMalformed, result.Problem);
        Assert.Contains("32", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"@method\"")]
    [InlineData("\"@authority\"")]
    [InlineData("\"@path\"")]
    [InlineData("\"@query\"")]
    [InlineData("\"content-digest\"")]
    [InlineData("\"signet-device\"")]
    public void EachRequiredComponentMustBeCovered(string component)
    {
        var received = Sign($"({Required.Replace(component, "", StringComparison.Ordinal)}){Parameters()}");
        var result = _device.Verify(received);
        Assert.Equal(ProblemCode.SignatureMalformed, result.Problem);
        Assert.Contains(component.Trim('"'), result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredComponentWithAParameterDoesNotCount()
    {
        var received = Sign($"({Required.Replace("\"content-digest\"", "\"content-digest\";sf", StringComparison.Ordinal)}){Parameters()}");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData("created")]
    [InlineData("nonce")]
    [InlineData("keyid")]
    [InlineData("alg")]
    public void EachRequiredParameterMustBePresent(string parameter)
    {
        var parameters = string.Join("", Parameters().Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith(parameter + "=", StringComparison.Ordinal)).Select(p => ";" + p));
        var received = Sign($"({Required}){parameters}");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData(";created=\"1764295200\"")]
    [InlineData(";created=1764295200.5")]
    [InlineData(";nonce=abcdefghijklmnopqrstuvwxyz")] // a token, not a string
    [InlineData(";keyid=:AAAA:")]
    [InlineData(";alg=ecdsa-p256-sha256")]
    [InlineData(";expires=\"never\"")]
    public void ParametersOfTheWrongTypeAreMalformed(string replacement)
    {
        var name = replacement[1..replacement.IndexOf('=', StringComparison.Ordinal)];
        var parameters = string.Join("", Parameters().Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).Select(p => ";" + p)) + replacement;
        var received = Sign($"({Required}){parameters}");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void RepeatedParameterIsMalformed()
    {
        // The same value twice: RFC 8941 collapses it, so without the profile's check the signature would verify.
        var received = _device.Post();
        received.SetHeader("Signature-Input", received.Header("Signature-Input") + $";created={Now}");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData("\"AAAAAAAAAAAAAAAAAAAA\"", true)] // exactly 15 bytes
    [InlineData("\"AAAAAAAAAAAAAAAAAAAAAA\"", false)] // 16 bytes
    [InlineData("\"AAAAAAAAAAAAAAAAAAAAAA==\"", false)] // 16 bytes, padded
    [InlineData("\"AAAAAAAAAAAAAAAAAAAAAA=\"", true)] // wrong padding
    [InlineData("\"AAAAAAAAAAAAAAAAAAAA+/AA\"", true)] // base64, not base64url
    [InlineData("\"AAAAAAAAAAAAAAAAAAAA-_AA\"", false)]
    [InlineData("\"\"", true)]
    [InlineData("\"AAAAAAAAAAAAAAAAAAAAAB\"", true)] // the unused low bits of the last character are not zero
    public void NonceMustBeBase64UrlOfAtLeast16Bytes(string nonce, bool malformed)
    {
        var parameters = $";created={Now};nonce={nonce};keyid=\"{_device.KeyId}\";alg=\"ecdsa-p256-sha256\"";
        var result = _device.Verify(Sign($"({Required}){parameters}"));
        Assert.Equal(malformed ? ProblemCode.SignatureMalformed : null, result.Problem);
    }

    [Theory]
    [InlineData("AAECAwQFBgcICQoLDA0ODw", "AAECAwQFBgcICQoLDA0ODw")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "AAECAwQFBgcICQoLDA0ODw")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAR", "AAECAwQFBgcICQoLDA0ODxAR")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxA=", "AAECAwQFBgcICQoLDA0ODxA")]
    public void EverySpellingOfANonceHasOneCanonicalForm(string nonce, string canonical)
    {
        var parameters = $";created={Now};nonce=\"{nonce}\";keyid=\"{_device.KeyId}\";alg=\"ecdsa-p256-sha256\"";
        var result = _device.Verify(Sign($"({Required}){parameters}"));
        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(nonce, result.Nonce);
        Assert.Equal(canonical, result.CanonicalNonce);
    }

    [Theory]
    [InlineData("Signet-Device")]
    [InlineData("Content-Digest")]
    public void AbsentComponentHeaderIsMalformed(string header)
    {
        var received = _device.Post();
        received.SetHeader(header, null);
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void AbsentFurtherCoveredHeaderIsMalformed()
    {
        var received = Sign($"({Required} \"x-extra\"){Parameters()}", Received(("x-extra", "1")));
        received.SetHeader("x-extra", null);
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData("md5=:AAAAAAAAAAAAAAAAAAAAAA==:")]
    [InlineData("sha-256=\"x\"")]
    [InlineData("garbage garbage")]
    public void UnusableContentDigestIsMalformed(string digest)
    {
        var received = Sign($"({Required}){Parameters()}", Received(("Content-Digest", digest)));
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Theory]
    [InlineData("rsa-pss-sha256")]
    [InlineData("hmac-sha256")]
    [InlineData("ed25519")]
    [InlineData("ECDSA-P256-SHA256")]
    public void AlgorithmNotAllowedForDevicesIsInvalid(string alg)
    {
        var received = Sign($"({Required}){Parameters(alg)}");
        var result = _device.Verify(received);
        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
        Assert.Contains("not allowed", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void HmacSignatureWithAKnownSecretIsStillRefused()
    {
        var secret = new byte[32];
        var hmacKey = RequestSigningKey.CreateHmac(_device.KeyId, secret);
        var received = Sign($"({Required}){Parameters("hmac-sha256")}", key: hmacKey);

        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, _ => VerificationKey.FromHmacSecret(secret),
            _device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));

        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
    }

    [Fact]
    public void PassedExpiryIsClockSkew()
    {
        var received = Sign($"({Required}){Parameters(extra: $";expires={Now + 10}")}");

        Assert.True(_device.Verify(received, now: _device.Time.GetUtcNow().AddSeconds(10)).Succeeded);
        var result = _device.Verify(received, now: _device.Time.GetUtcNow().AddSeconds(11));
        Assert.Equal(ProblemCode.ClockSkew, result.Problem);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Now + 10), result.Expires);
    }

    [Theory]
    [InlineData(-999_999_999_999_999L)]
    [InlineData(999_999_999_999_999L)]
    public void CreatedOutsideTheCalendarIsClockSkew(long created)
    {
        var received = Sign($"({Required}){Parameters(created: created)}");
        Assert.Equal(ProblemCode.ClockSkew, _device.Verify(received).Problem);
    }

    [Fact]
    public void UnknownKeyIdIsUnknownKey()
    {
        var received = _device.Post();
        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, _ => null, _device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.Equal(ProblemCode.UnknownKey, result.Problem);
        Assert.Equal(_device.KeyId, result.KeyId);
        Assert.Equal(TestDevice.Udid, result.DeviceUdid);
        Assert.NotNull(result.Nonce);
        Assert.Equal(SignatureAlgorithm.EcdsaP256Sha256, result.Algorithm);
    }

    [Fact]
    public void AlgorithmBeforeClock()
    {
        var received = Sign($"({Required}){Parameters("hmac-sha256", created: Now - 3600)}");
        Assert.Equal(ProblemCode.SignatureInvalid, _device.Verify(received).Problem);
    }

    [Fact]
    public void ClockBeforeKey()
    {
        var received = Sign($"({Required}){Parameters(created: Now - 3600)}");
        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, _ => null, _device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.Equal(ProblemCode.ClockSkew, result.Problem);
    }

    [Fact]
    public void KeyBeforeDigest()
    {
        var received = _device.Post();
        received.Body = [1, 2, 3];
        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, _ => null, _device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.Equal(ProblemCode.UnknownKey, result.Problem);
    }

    [Fact]
    public void DigestBeforeSignature()
    {
        var received = _device.Post();
        received.Body = [1, 2, 3];
        received.SetHeader("Signature", "sig1=:" + Convert.ToBase64String(new byte[64]) + ":");
        Assert.Equal(ProblemCode.DigestMismatch, _device.Verify(received).Problem);
    }

    [Fact]
    public void ProfileBeforeAlgorithm()
    {
        var received = Sign($"(\"@method\"){Parameters("hmac-sha256")}");
        Assert.Equal(ProblemCode.SignatureMalformed, _device.Verify(received).Problem);
    }

    [Fact]
    public void KeyThatDoesNotAllowTheAlgorithmIsInvalid()
    {
        using var rsaDevice = new TestDevice("rsa");
        var received = _device.Post();
        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, _ => rsaDevice.VerificationKey, _device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
    }

    [Fact]
    public void SuccessCarriesEverythingTheServerNeeds()
    {
        var received = Sign($"({Required}){Parameters(extra: $";expires={Now + 60}")}");
        var result = _device.Verify(received);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Null(result.Problem);
        Assert.Null(result.Detail);
        Assert.Equal(TestDevice.Udid, result.DeviceUdid);
        Assert.Equal(_device.KeyId, result.KeyId);
        Assert.Equal(Nonce.Trim('"'), result.Nonce);
        Assert.Equal(SignatureAlgorithm.EcdsaP256Sha256, result.Algorithm);
        Assert.Equal(_device.Time.GetUtcNow(), result.Created);
        Assert.Equal(_device.Time.GetUtcNow().AddSeconds(60), result.Expires);
    }

    [Fact]
    public void RawTargetIsUsedNotTheDecodedPath()
    {
        var received = _device.Post("https://signet.example.com/a%2Fb/c%20d?q=%7E");
        Assert.True(_device.Verify(received).Succeeded);

        received.RawTarget = "/a/b/c%20d?q=%7E"; // what a decode-and-re-encode would produce
        Assert.Equal(ProblemCode.SignatureInvalid, _device.Verify(received).Problem);
    }

    [Fact]
    public void DigestOfTheReceivedBodyIsWhatCounts()
    {
        var received = _device.Post(body: "");
        Assert.Equal(ContentDigest.Compute([]), received.Header("Content-Digest"));
        Assert.True(_device.Verify(received).Succeeded);
    }

    private ReceivedRequest Received(params (string Name, string Value)[] headers)
    {
        var received = _device.Post();
        foreach (var (name, value) in headers)
        {
            received.SetHeader(name, value);
        }

        return received;
    }

    /// <summary>Re-signs a received request (the device's by default) with the given Signature-Input member, so that
    /// profile violations arrive correctly signed and only the profile can refuse them.</summary>
    private ReceivedRequest Sign(string member, ReceivedRequest? received = null, string label = "sig1", IRequestSigningKey? key = null)
    {
        received ??= _device.Post();
        Assert.True(SfParser.TryParseList(member, out var list), member);
        var view = new AspNetRequestView(received.Context.Request);
        Assert.True(HttpSignatures.TrySign(view, label, list[0].InnerList!, list[0].Parameters,
            key ?? RequestSigningKey.Create(_device.KeyId, SignatureAlgorithm.EcdsaP256Sha256, _device.PrivateKey), out var input, out var signature, out var error), error);
        received.SetHeader("Signature-Input", input);
        received.SetHeader("Signature", signature);
        return received;
    }

}
