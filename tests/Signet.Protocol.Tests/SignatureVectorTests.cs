using System.Security.Cryptography;
using System.Text;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>RFC 9421 examples (App. B.2, B.3, B.4, §2.4, §2.5/3.2, §4.3): the signature base is rebuilt from the
/// message byte for byte, the printed signature verifies (or, when deterministic, is reproduced exactly), and a
/// one-byte change to any covered component stops it verifying.</summary>
public sealed class SignatureVectorTests
{
    public sealed record VectorCase(string Folder, string Message, string Label, string Key, SignatureAlgorithm Algorithm, string? Request = null)
    {
        public override string ToString() => $"{Folder} ({Label})";
    }

    public static TheoryData<VectorCase> Cases => new()
    {
        new("rfc9421/b-2-1-minimal", "rfc9421/messages/test-request.http", "sig-b21", "test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512),
        new("rfc9421/b-2-2-selective", "rfc9421/messages/test-request.http", "sig-b22", "test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512),
        new("rfc9421/b-2-3-full-coverage", "rfc9421/messages/test-request.http", "sig-b23", "test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512),
        new("rfc9421/b-2-4-response-ecdsa", "rfc9421/messages/test-response.http", "sig-b24", "test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256),
        new("rfc9421/b-2-5-hmac", "rfc9421/messages/test-request.http", "sig-b25", "test-shared-secret", SignatureAlgorithm.HmacSha256),
        new("rfc9421/b-3-tls-terminating-proxy", "rfc9421/b-3-tls-terminating-proxy/proxy-request-signed.http", "ttrp", "test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256),
        new("rfc9421/s2-5-s3-2-rsa-pss-example", "rfc9421/s2-5-s3-2-rsa-pss-example/message.http", "sig1", "test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512),
        new("rfc9421/s2-4-request-response-1", "rfc9421/s2-4-request-response-1/response-signed.http", "reqres", "test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256,
            Request: "rfc9421/s2-4-request-response-1/request.http"),
        new("rfc9421/s2-4-request-response-2", "rfc9421/s2-4-request-response-2/response-signed.http", "reqres", "test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256,
            Request: "rfc9421/s2-4-request-response-2/request-signed.http"),
        new("rfc9421/s2-4-request-response-2/request-sig1", "rfc9421/s2-4-request-response-2/request-signed.http", "sig1", "test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512),
        new("rfc9421/s4-3-multiple-signatures/proxy_sig", "rfc9421/s4-3-multiple-signatures/proxy-forwarded-signed.http", "proxy_sig", "test-key-rsa", SignatureAlgorithm.RsaV15Sha256),
        new("rfc9421/s4-3-multiple-signatures/sig1", "rfc9421/s4-3-multiple-signatures/client-request-signed.http", "sig1", "test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SignatureBaseEqualsTheRfcByteForByte(VectorCase vector)
    {
        var message = Load(vector);

        var signature = Read(message, vector.Label);
        Assert.True(HttpSignatures.TryCreateBase(message, signature.Components, signature.Parameters, out var signatureBase, out var error), error);

        Assert.Equal(Vectors.Text($"{vector.Folder}/signature-base.txt"), Encoding.ASCII.GetString(signatureBase));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PrintedSignatureVerifies(VectorCase vector)
    {
        var message = Load(vector);
        var signature = Read(message, vector.Label);

        Assert.Equal(Vectors.SignatureBytes(vector.Folder), signature.Value);
        Assert.True(HttpSignatures.Verify(message, signature, Key(vector.Key), vector.Algorithm, out var error), error);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void OneByteChangeToAnyCoveredComponentStopsVerification(VectorCase vector)
    {
        var message = Load(vector);
        var signature = Read(message, vector.Label);
        var key = Key(vector.Key);

        foreach (var component in signature.Components)
        {
            var changed = Mutate(message, component);
            var verified = HttpSignatures.Verify(changed, signature, key, vector.Algorithm, out _);
            Assert.False(verified, $"still verifies after changing {SfSerializer.Serialize(component)}");
        }

        // The signature parameters are covered too (@signature-params).
        var parameters = new SfParameters([.. signature.Parameters.Entries.Select(p => p.Key == "created"
            ? new KeyValuePair<string, SfBareItem>(p.Key, SfBareItem.FromInteger(p.Value.Integer + 1)) : p)], false);
        Assert.False(HttpSignatures.Verify(message, signature with { Parameters = parameters }, key, vector.Algorithm, out _));
    }

    [Fact]
    public void HmacSignatureIsReproducedExactly()
    {
        var key = RequestSigningKey.CreateHmac("test-shared-secret", Vectors.SharedSecret());

        var value = key.Sign(Vectors.Bytes("rfc9421/b-2-5-hmac/signature-base.txt"));

        Assert.Equal(Vectors.SignatureBytes("rfc9421/b-2-5-hmac"), value);
    }

    [Fact]
    public void HmacSigningOverTheMessageReproducesBothFields()
    {
        var message = Vectors.Message("rfc9421/messages/test-request.http");
        var key = RequestSigningKey.CreateHmac("test-shared-secret", Vectors.SharedSecret());
        List<SfItem> components = [HttpSignatures.Component("date"), HttpSignatures.Component("@authority"), HttpSignatures.Component("content-type")];
        var parameters = new SfParameters(
            [new("created", SfBareItem.FromInteger(1618884473)), new("keyid", SfBareItem.FromString("test-shared-secret"))], false);

        Assert.True(HttpSignatures.TrySign(message, "sig-b25", components, parameters, key, out var input, out var signature, out var error), error);

        Assert.Equal(Vectors.Text("rfc9421/b-2-5-hmac/signature-input.txt"), input);
        Assert.Equal(Vectors.Text("rfc9421/b-2-5-hmac/signature.txt"), signature);
    }

    [Fact]
    public void RsaV15SignatureIsReproducedExactly()
    {
        using var rsa = Vectors.RsaPrivateKey("test-key-rsa");
        var key = RequestSigningKey.Create("test-key-rsa", SignatureAlgorithm.RsaV15Sha256, rsa);

        var value = key.Sign(Vectors.Bytes("rfc9421/s4-3-multiple-signatures/proxy_sig/signature-base.txt"));

        Assert.Equal(Vectors.SignatureBytes("rfc9421/s4-3-multiple-signatures/proxy_sig"), value);
    }

    [Theory]
    [InlineData("test-key-rsa-pss", SignatureAlgorithm.RsaPssSha512)]
    [InlineData("test-key-ecc-p256", SignatureAlgorithm.EcdsaP256Sha256)]
    public void OwnSignatureOverAVectorBaseVerifies(string keyName, SignatureAlgorithm algorithm)
    {
        // PSS and ECDSA are randomized, so our own signature is checked by verifying it with the RFC's public key.
        using AsymmetricAlgorithm privateKey = keyName == "test-key-ecc-p256" ? Vectors.EcPrivateKey(keyName) : LoadPssPrivateKey();
        var signer = RequestSigningKey.Create(keyName, algorithm, privateKey);
        var signatureBase = Vectors.Bytes("rfc9421/b-2-3-full-coverage/signature-base.txt");

        var value = signer.Sign(signatureBase);

        Assert.True(Key(keyName).Verify(algorithm, signatureBase, value));
        Assert.Equal(algorithm == SignatureAlgorithm.EcdsaP256Sha256 ? 64 : 256, value.Length);
    }

    [Fact]
    public void Ed25519BasesAreBuiltButTheAlgorithmIsReportedUnsupported()
    {
        // .NET 10 offers no Ed25519 in System.Security.Cryptography: the base must still be exact, and the
        // algorithm must say it is unsupported rather than the test being skipped.
        var message = Vectors.Message("rfc9421/messages/test-request.http")
            .WithField("Signature-Input", Vectors.Text("rfc9421/b-2-6-ed25519/signature-input.txt"))
            .WithField("Signature", Vectors.Text("rfc9421/b-2-6-ed25519/signature.txt"));
        var signature = Read(message, "sig-b26");
        Assert.True(HttpSignatures.TryCreateBase(message, signature.Components, signature.Parameters, out var signatureBase, out _));
        Assert.Equal(Vectors.Text("rfc9421/b-2-6-ed25519/signature-base.txt"), Encoding.ASCII.GetString(signatureBase));

        Assert.True(SignatureAlgorithms.TryParse("ed25519", out var algorithm));
        Assert.False(algorithm.IsSupported());
        Assert.False(VerificationKey.FromHmacSecret(Vectors.SharedSecret()).Verify(algorithm, signatureBase, signature.Value));
        using var ecdsa = Vectors.EcPrivateKey("test-key-ecc-p256");
        Assert.Throws<ArgumentException>(() => RequestSigningKey.Create("test-key-ed25519", algorithm, ecdsa));
    }

    [Theory]
    [InlineData("0-original-valid.http", true)]
    [InlineData("1-added-header-and-query-valid.http", true)]
    [InlineData("2-removed-date-added-referer-collapsed-accept-valid.http", true)]
    [InlineData("3-reordered-fields-valid.http", true)]
    [InlineData("4-changed-method-and-authority-INVALID.http", false)]
    [InlineData("5-swapped-accept-order-INVALID.http", false)]
    public void TransformedMessagesRebuildTheBaseOnlyWhenTheTransformationIsAllowed(string file, bool valid)
    {
        var message = Vectors.Message($"rfc9421/b-4-transformations/messages/{file}")
            .WithField("Signature-Input", Vectors.Text("rfc9421/b-4-transformations/signature-input.txt"))
            .WithField("Signature", Vectors.Text("rfc9421/b-4-transformations/signature.txt"));
        var signature = Read(message, "transform");

        Assert.True(HttpSignatures.TryCreateBase(message, signature.Components, signature.Parameters, out var signatureBase, out var error), error);

        Assert.Equal(valid, Vectors.Text("rfc9421/b-4-transformations/signature-base.txt") == Encoding.ASCII.GetString(signatureBase));
    }

    [Fact]
    public void MultipleSignaturesAreReadByLabel()
    {
        var message = Vectors.Message("rfc9421/s4-3-multiple-signatures/proxy-forwarded-signed.http");

        var sig1 = Read(message, "sig1");
        var proxy = Read(message, "proxy_sig");

        Assert.Equal(6, sig1.Components.Count);
        Assert.Equal(7, proxy.Components.Count);
        Assert.False(HttpSignatures.TryRead(message, "other", out _, out _));
    }

    [Fact]
    public void ProxySignatureDoesNotVerifyWithTheWrongAlgorithmOrKey()
    {
        var message = Vectors.Message("rfc9421/s4-3-multiple-signatures/proxy-forwarded-signed.http");
        var signature = Read(message, "proxy_sig");

        Assert.False(HttpSignatures.Verify(message, signature, Key("test-key-rsa"), SignatureAlgorithm.RsaPssSha512, out _));
        Assert.False(HttpSignatures.Verify(message, signature, Key("test-key-rsa-pss"), SignatureAlgorithm.RsaV15Sha256, out _));
        Assert.False(HttpSignatures.Verify(message, signature, Key("test-key-ecc-p256"), SignatureAlgorithm.EcdsaP256Sha256, out _));
    }

    private static HttpFile Load(VectorCase vector)
    {
        var message = Vectors.Message(vector.Message);
        if (message.Header("Signature-Input") is null)
        {
            message = message
                .WithField("Signature-Input", Vectors.Text($"{vector.Folder}/signature-input.txt"))
                .WithField("Signature", Vectors.Text($"{vector.Folder}/signature.txt"));
        }

        return vector.Request is null ? message : message.WithRequest(Vectors.Message(vector.Request));
    }

    private static ParsedSignature Read(HttpFile message, string label)
    {
        Assert.True(HttpSignatures.TryRead(message, label, out var signature, out var error), error);
        return signature;
    }

    internal static VerificationKey Key(string name)
    {
        switch (name)
        {
            case "test-shared-secret":
                return VerificationKey.FromHmacSecret(Vectors.SharedSecret());
            case "test-key-ecc-p256":
                using (var ecdsa = Vectors.EcPublicKey(name))
                {
                    return VerificationKey.FromECDsa(ecdsa);
                }

            default:
                using (var rsa = Vectors.RsaPublicKey(name))
                {
                    return VerificationKey.FromRsa(rsa);
                }
        }
    }

    // The RFC's PSS private key is PKCS#8 under the id-RSASSA-PSS OID, which the platform may refuse; its JWK form
    // carries the same numbers.
    private static RSA LoadPssPrivateKey()
    {
        using var json = System.Text.Json.JsonDocument.Parse(Vectors.Text("rfc9421/keys/test-key-rsa-pss.jwk.json"));
        byte[] Field(string name) => Convert.FromBase64String(Base64Url(json.RootElement.GetProperty(name).GetString()!));
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Field("n"), Exponent = Field("e"), D = Field("d"), P = Field("p"), Q = Field("q"),
            DP = Field("dp"), DQ = Field("dq"), InverseQ = Field("qi"),
        });
        return rsa;
    }

    private static string Base64Url(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
    }

    // Changes one byte of the message where the component's value comes from.
    private static HttpFile Mutate(HttpFile message, SfItem component)
    {
        var name = component.Value.String;
        if (component.Parameters.TryGet("req", out _))
        {
            return message.WithRequest(Mutate(message.Request!, new SfItem(component.Value, SfParameters.Empty)));
        }

        var line = message.StartLine;
        var target = line.Split(' ')[1];
        var targetStart = line.IndexOf(' ', StringComparison.Ordinal) + 1;
        return name switch
        {
            "@method" => message.WithStartLine(Flip(line, 0)),
            "@authority" => message.WithField("Host", Flip(message.Header("Host")!, 0)),
            "@path" or "@target-uri" or "@request-target" => message.WithStartLine(Flip(line, targetStart + 1)),
            "@query" or "@query-param" => message.WithStartLine(Flip(line, targetStart + target.Length - 1)),
            "@status" => message.WithStartLine(Flip(line, 11)),
            _ => message.WithField(name, Flip(message.Header(name)!.Trim(), message.Header(name)!.Trim().Length / 2)),
        };
    }

    private static string Flip(string value, int index)
    {
        var c = value[index];
        var replacement = char.IsAsciiDigit(c) ? (c == '1' ? '2' : '1') : (c == 'x' ? 'y' : 'x');
        return string.Concat(value.AsSpan(0, index), replacement.ToString(), value.AsSpan(index + 1));
    }
}
