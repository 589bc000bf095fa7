using System.Text;
using Signet.Protocol.Device;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>The agent's <see cref="DeviceSigningHandler"/> and the server's <see cref="DeviceSignatureVerifier"/> agree,
/// and any change after signing is refused with the right code.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [InlineData("rsa", SignatureAlgorithm.RsaPssSha512)]
    [InlineData("p256", SignatureAlgorithm.EcdsaP256Sha256)]
    [InlineData("p384", SignatureAlgorithm.EcdsaP384Sha384)]
    public void SignedRequestVerifies(string keyType, SignatureAlgorithm expected)
    {
        using var device = new TestDevice(keyType);
        var received = device.Post();

        var result = device.Verify(received);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(TestDevice.Udid, result.DeviceUdid);
        Assert.Equal(device.KeyId, result.KeyId);
        Assert.Equal(expected, result.Algorithm);
        Assert.Equal(device.Time.GetUtcNow(), result.Created);
        Assert.Null(result.Expires);
        Assert.True(Convert.FromBase64String(Base64UrlToBase64(result.Nonce!)).Length == 32);
    }

    [Fact]
    public void HandlerAddsTheProfileHeaders()
    {
        using var device = new TestDevice();
        var received = device.Post();

        Assert.Equal(ContentDigest.Compute(received.Body), received.Header("Content-Digest"));
        Assert.Equal(TestDevice.Udid, received.Header("Signet-Device"));
        var input = received.Header("Signature-Input")!;
        var created = device.Time.GetUtcNow().ToUnixTimeSeconds();
        Assert.StartsWith($"sig1=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\" \"signet-device\");created={created};nonce=\"", input);
        Assert.EndsWith($"\";keyid=\"{device.KeyId}\";alg=\"rsa-pss-sha512\"", input);
        Assert.Matches("^sig1=:[A-Za-z0-9+/]+={0,2}:$", received.Header("Signature")!);
    }

    [Fact]
    public void EveryRequestGetsAFreshNonce()
    {
        using var device = new TestDevice("p256");
        var first = device.Verify(device.Post());
        var second = device.Verify(device.Post());

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.NotEqual(first.Nonce, second.Nonce);
    }

    [Theory]
    [InlineData("GET", null)]
    [InlineData("POST", "")]
    [InlineData("PUT", "{\"a\":1}")]
    public void BodiesOfAnyKindVerifyIncludingNone(string method, string? body)
    {
        using var device = new TestDevice("p256");
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://signet.example.com/agent/v1/inventory");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var received = device.Send(request);

        Assert.Equal(ContentDigest.Compute([]), body is null or "" ? received.Header("Content-Digest") : ContentDigest.Compute([]));
        Assert.True(device.Verify(received).Succeeded);
    }

    [Theory]
    [InlineData("https://Signet.Example.COM:443/a/b")]
    [InlineData("http://signet.example.com:80/a")]
    [InlineData("https://signet.example.com:8443/a%20b/c%2Fd?q=%41&r=a+b&empty=")]
    [InlineData("https://signet.example.com/path?")]
    [InlineData("http://127.0.0.1:5000/agent/v1/checkin")]
    [InlineData("http://[::1]:5000/agent/v1/checkin?x=y")]
    [InlineData("https://signet.example.com")]
    public void TargetsAndAuthoritiesAgreeByteForByte(string url)
    {
        using var device = new TestDevice("p256");
        var received = device.Post(url);

        var result = device.Verify(received);

        Assert.True(result.Succeeded, $"{received.Host} {received.RawTarget}: {result.Detail}");
    }

    [Fact]
    public void ExplicitHostHeaderIsWhatIsSigned()
    {
        using var device = new TestDevice("p256");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://10.0.0.1/agent/v1/checkin");
        request.Headers.Host = "signet.example.com";

        var received = device.Send(request);

        Assert.Equal("signet.example.com", received.Host);
        Assert.True(device.Verify(received).Succeeded);
    }

    [Fact]
    public void ChangedMethodIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.Method = "PUT";
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedPathIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.RawTarget = received.RawTarget.Replace("checkin", "renew", StringComparison.Ordinal);
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedQueryIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.RawTarget = received.RawTarget.Replace("x=1", "x=2", StringComparison.Ordinal);
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void RemovedQueryIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.RawTarget = "/agent/v1/checkin";
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedAuthorityIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.Host = "evil.example.com";
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedPortIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.Host = "signet.example.com:8443";
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedBodyIsRefusedAsDigestMismatch()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.Body = Encoding.UTF8.GetBytes("""{"agentVersion":"6.6"}""");
        Assert.Equal(ProblemCode.DigestMismatch, device.Verify(received).Problem);
    }

    [Fact]
    public void BodyAndDigestChangedTogetherAreRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.Body = Encoding.UTF8.GetBytes("""{"agentVersion":"6.6"}""");
        received.SetHeader("Content-Digest", ContentDigest.Compute(received.Body));
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedSignetDeviceIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        received.SetHeader("Signet-Device", "00000000-0000-0000-0000-000000000000");
        var result = device.Verify(received);
        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
        Assert.Equal("00000000-0000-0000-0000-000000000000", result.DeviceUdid);
    }

    [Fact]
    public void ChangedCreatedIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        var created = device.Time.GetUtcNow().ToUnixTimeSeconds();
        ReplaceInSignatureInput(received, $"created={created}", $"created={created - 1}");
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedNonceIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        var nonce = device.Verify(received).Nonce!;
        var other = (nonce[0] == 'A' ? "B" : "A") + nonce[1..];
        ReplaceInSignatureInput(received, nonce, other);
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void ChangedKeyIdIsRefusedAsUnknownKey()
    {
        using var device = new TestDevice();
        var received = device.Post();
        ReplaceInSignatureInput(received, device.KeyId, new string('0', 64));
        Assert.Equal(ProblemCode.UnknownKey, device.Verify(received).Problem);
    }

    [Fact]
    public void KeyIdOfAnotherKnownKeyIsRefused()
    {
        using var device = new TestDevice();
        using var other = new TestDevice();
        var received = device.Post();
        ReplaceInSignatureInput(received, device.KeyId, other.KeyId);

        var result = DeviceSignatureVerifier.Verify(received.Context.Request, received.Body,
            id => id == other.KeyId ? other.VerificationKey : null, device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));

        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
    }

    [Fact]
    public void ChangedAlgToAnotherOfTheKeysAlgorithmsIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        ReplaceInSignatureInput(received, "alg=\"rsa-pss-sha512\"", "alg=\"rsa-v1_5-sha256\"");
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void AlgNotMatchingTheKeyIsRefused()
    {
        using var device = new TestDevice();
        var received = device.Post();
        ReplaceInSignatureInput(received, "alg=\"rsa-pss-sha512\"", "alg=\"ecdsa-p256-sha256\"");
        var result = device.Verify(received);
        Assert.Equal(ProblemCode.SignatureInvalid, result.Problem);
        Assert.Contains("does not match the key", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ChangedSignatureIsRefused()
    {
        using var device = new TestDevice("p256");
        var received = device.Post();
        var signature = received.Header("Signature")!;
        var bytes = Convert.FromBase64String(signature[6..^1]);
        bytes[10] ^= 1;
        received.SetHeader("Signature", $"sig1=:{Convert.ToBase64String(bytes)}:");
        Assert.Equal(ProblemCode.SignatureInvalid, device.Verify(received).Problem);
    }

    [Fact]
    public void CreatedExactlyAtTheSkewBoundaryIsAccepted()
    {
        using var device = new TestDevice("p256");
        var received = device.Post();
        var skew = TimeSpan.FromSeconds(300);
        var created = device.Time.GetUtcNow();

        Assert.True(device.Verify(received, skew, created + skew).Succeeded);
        Assert.True(device.Verify(received, skew, created - skew).Succeeded);
    }

    [Fact]
    public void CreatedOneSecondPastTheSkewIsRefused()
    {
        using var device = new TestDevice("p256");
        var received = device.Post();
        var skew = TimeSpan.FromSeconds(300);
        var created = device.Time.GetUtcNow();

        Assert.Equal(ProblemCode.ClockSkew, device.Verify(received, skew, created + skew + TimeSpan.FromSeconds(1)).Problem);
        Assert.Equal(ProblemCode.ClockSkew, device.Verify(received, skew, created - skew - TimeSpan.FromSeconds(1)).Problem);
    }

    [Fact]
    public void SigningUsesTheInjectedClock()
    {
        using var device = new TestDevice("p256");
        device.Time.Advance(TimeSpan.FromHours(3));
        var received = device.Post();

        Assert.Equal(device.Time.GetUtcNow(), device.Verify(received).Created);
    }

    [Theory]
    [InlineData("https://Signet.Example.com:8443/a/b%20c?x=%41&y=a+b")]
    [InlineData("http://signet.example.com/")]
    [InlineData("https://signet.example.com/agent/v1/checkin?")]
    public void AgentAndServerViewsBuildTheSameBaseForEveryComponent(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Content-Digest", ContentDigest.Compute("{}"u8));
        request.Headers.TryAddWithoutValidation("Signet-Device", TestDevice.Udid);
        request.Headers.TryAddWithoutValidation("X-Multi", ["a", " b "]);
        var identifiers = "(\"@method\" \"@target-uri\" \"@authority\" \"@scheme\" \"@request-target\" \"@path\" \"@query\" "
            + "\"content-type\" \"content-digest\";sf \"signet-device\" \"x-multi\" \"x-multi\";bs \"content-digest\";key=\"sha-256\");created=1";
        Assert.True(StructuredFields.SfParser.TryParseList(identifiers, out var list));
        var components = list[0].InnerList!;

        Assert.True(HttpSignatures.TryCreateBase(new HttpRequestMessageView(request), components, list[0].Parameters, out var agentBase, out var agentError), agentError);
        var received = ReceivedRequest.From(request, "{}"u8.ToArray());
        Assert.True(HttpSignatures.TryCreateBase(new AspNetRequestView(received.Context.Request), components, list[0].Parameters, out var serverBase, out var serverError), serverError);

        Assert.Equal(Encoding.ASCII.GetString(agentBase), Encoding.ASCII.GetString(serverBase));
    }

    internal static void ReplaceInSignatureInput(ReceivedRequest received, string from, string to)
    {
        var input = received.Header("Signature-Input")!;
        Assert.Contains(from, input, StringComparison.Ordinal);
        received.SetHeader("Signature-Input", input.Replace(from, to, StringComparison.Ordinal));
    }

    private static string Base64UrlToBase64(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }
}
