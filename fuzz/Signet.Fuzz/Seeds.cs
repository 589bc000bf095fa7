using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Signet.Protocol.Device;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;

namespace Signet.Fuzz;

/// <summary>Writes the seed corpora (fuzz/seeds/&lt;target&gt;/): small valid inputs that reach deep into each parser,
/// from which afl-fuzz mutates. The signed requests use <see cref="FuzzDevice"/>'s key and clock, so they verify.</summary>
internal static class Seeds
{
    private const string Server = "https://signet.example.com";
    private const string Rfc9421Request =
        "POST /foo?param=Value&Pet=dog\nHost: example.com\nDate: Tue, 20 Apr 2021 02:07:55 GMT\nContent-Type: application/json\n" +
        "Content-Digest: sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:\nContent-Length: 18\n";

    public static void Write(string folder)
    {
        var signed = SignedRequests();
        Put(folder, "device-verifier", signed);
        Put(folder, "signature-base", [.. signed.Take(2), .. Rfc9421Examples()]);
        Put(folder, "structured-fields", StructuredFields());
        Put(folder, "content-digest", Digests());
        var csrs = Csrs();
        Put(folder, "csr", [.. csrs.Select(c => c.Der), Encoding.ASCII.GetBytes(csrs[0].Pem)]);
        Put(folder, "json-bodies", JsonBodies(csrs[0].Pem));
    }

    private static void Put(string folder, string target, IEnumerable<byte[]> seeds)
    {
        var directory = Path.Combine(folder, target);
        Directory.CreateDirectory(directory);
        foreach (var old in Directory.EnumerateFiles(directory, "seed-*"))
        {
            File.Delete(old);
        }

        var i = 0;
        foreach (var seed in seeds)
        {
            File.WriteAllBytes(Path.Combine(directory, $"seed-{i++:D2}"), seed);
        }
    }

    private static List<byte[]> SignedRequests()
    {
        var key = RequestSigningKey.Create(FuzzDevice.KeyId, SignatureAlgorithm.EcdsaP256Sha256, FuzzDevice.Key);
        var padded = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)) + "==";
        return
        [
            Sign(key, HttpMethod.Post, "/agent/v1/checkin", """{"agentVersion":"1.4.0"}"""),
            Sign(key, HttpMethod.Get, "/agent/v1/ca?a=1&b=%20x&c", null),
            Sign(key, HttpMethod.Post, "/agent/v1/inventory", "", nonce: padded),
            Sign(key, HttpMethod.Post, "/agent/v1/renew", """{"csr":"-----BEGIN CERTIFICATE REQUEST-----"}"""),
        ];
    }

    private static byte[] Sign(RequestSigningKey key, HttpMethod method, string target, string? body, string? nonce = null)
    {
        using var request = new HttpRequestMessage(method, Server + target)
        {
            Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        var capture = new Capture();
        var signing = nonce is null
            ? new DeviceSigningHandler(FuzzDevice.Udid, key, new FixedTime()) { InnerHandler = capture }
            : new DeviceSigningHandler(FuzzDevice.Udid, key, new FixedTime()) { InnerHandler = capture, NewNonce = () => nonce };
        using var invoker = new HttpMessageInvoker(signing);
        invoker.Send(request, CancellationToken.None).Dispose();
        return capture.Message!;
    }

    private static IEnumerable<byte[]> Rfc9421Examples()
    {
        var body = """{"hello": "world"}"""u8.ToArray();
        byte[] With(string input, string signature) =>
            [.. Encoding.ASCII.GetBytes(Rfc9421Request + $"Signature-Input: {input}\nSignature: {signature}\n\n"), .. body];

        // RFC 9421 B.2.2 (a derived @query-param), B.2.5 (HMAC), §4.3 (two signatures), and every kind of component parameter.
        yield return With("sig-b22=(\"@authority\" \"content-digest\" \"@query-param\";name=\"Pet\");created=1618884473;keyid=\"test-key-rsa-pss\";tag=\"header-example\"",
            "sig-b22=:LjbtqUbfmvjj5C5kr1Ugj4PmLYvx9wVjZvD9GsTT4F7GrcQEdJzgI9qHxICagShLRiLMlAJjtq6N4CDfKtjvuJyE5qH7KT8UCMkSowOB4+ECxCmT8rtAmj/0PIXxi0A0nxKyB09RNrCQibbUjsLS/2YyFYXEu4TRJQzRw1rLEuEfY17SARYhpTlaqwZVtR8NV7+4UKkjqpcAoFqWFQh62s7Cl+H2fjBSpqfZUJcsIk4N6wiKYd4je2U/lankenQ99PZfB4jY3I5rSV2DSBVkSFsURIjYErOs0tFTQosMTAoxk//0RoKUqiYY8Bh0aaUEb0rQl3/XaVe4bXTugEjHSw==:");
        yield return With("sig-b25=(\"date\" \"@authority\" \"content-type\");created=1618884473;keyid=\"test-shared-secret\"",
            "sig-b25=:pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8=:");
        yield return With("sig1=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\");created=1618884475;keyid=\"test-key-ecc-p256\", " +
            "proxy_sig=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\" \"content-length\" \"forwarded\");created=1618884480;keyid=\"test-key-rsa\";alg=\"rsa-v1_5-sha256\";expires=1618884540",
            "sig1=:AAAA:, proxy_sig=:AAAA:");
        yield return With("sig2=(\"@target-uri\" \"@request-target\" \"@scheme\" \"@query\" \"content-digest\";sf \"content-digest\";key=\"sha-512\" \"date\";bs \"@signature-params\" \"x-unknown\";req);nonce=\"abc\";alg=\"hmac-sha256\"",
            "sig2=:AAAA:");
    }

    private static IEnumerable<byte[]> StructuredFields()
    {
        byte[] As(int kind, string text) => [(byte)kind, .. Encoding.Latin1.GetBytes(text)];
        yield return As(0, "sig1=(\"@method\" \"@authority\" \"@path\");created=1764295200;nonce=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\";keyid=\"abc\";alg=\"ecdsa-p256-sha256\"");
        yield return As(0, "a=1, b=2;x=1;y=2, c=(a   b   c), d=?0, e=1.5, f=\"s\\\"q\", g=tok/en, h=:AQID:, i=?1;p, j=-999999999999999, k=-0.001");
        yield return As(0, "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:");
        yield return As(1, "(\"@query-param\";name=\"Pet\" \"example-dict\";key=\"a\" \"x\";bs \"y\";sf \"@status\";req), 1, 2.25");
        yield return As(1, "sugar, tea, rum;q=0.5, (\"foo\" \"bar\");lvl=5, ()");
        yield return As(2, "\"hello \\\\ world\";a=*tok;b=:cHJldGVuZA==:;c=123456789012.345");
        yield return As(2, "*token:with/chars!#$%&'*+-.^_`|~");
    }

    private static IEnumerable<byte[]> Digests()
    {
        var body = """{"agentVersion":"1.4.0"}"""u8.ToArray();
        byte[] With(string field) => [.. Encoding.ASCII.GetBytes(field + "\n"), .. body];
        yield return With(ContentDigest.Compute(body));
        yield return With(ContentDigest.Compute(body, DigestAlgorithm.Sha512));
        yield return With(ContentDigest.Compute(body) + ", " + ContentDigest.Compute(body, DigestAlgorithm.Sha512) + ", md5=:AAAA:");
        yield return With("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:;p=1, unixsum=:AQ==:");
        yield return Encoding.ASCII.GetBytes(ContentDigest.Compute([]) + "\n");
    }

    private static List<(byte[] Der, string Pem)> Csrs()
    {
        var result = new List<(byte[], string)>();
        foreach (var curve in new[] { ECCurve.NamedCurves.nistP256, ECCurve.NamedCurves.nistP384, ECCurve.NamedCurves.nistP521 })
        {
            using var ec = ECDsa.Create(curve);
            var request = new CertificateRequest("CN=" + FuzzDevice.Udid, ec, HashAlgorithmName.SHA256);
            result.Add((request.CreateSigningRequest(), request.CreateSigningRequestPem()));
        }

        using var rsa = RSA.Create(2048);
        var pss = new CertificateRequest("CN=" + FuzzDevice.Udid, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        result.Add((pss.CreateSigningRequest(), pss.CreateSigningRequestPem()));
        var pkcs1 = new CertificateRequest("CN=" + FuzzDevice.Udid + ",O=Signet", rsa, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        pkcs1.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        result.Add((pkcs1.CreateSigningRequest(), pkcs1.CreateSigningRequestPem()));
        return result;
    }

    private static IEnumerable<byte[]> JsonBodies(string csrPem)
    {
        byte[] As(int kind, string json) => [(byte)kind, .. Encoding.UTF8.GetBytes(json)];
        var csr = System.Text.Json.JsonSerializer.Serialize(csrPem);
        yield return As(0, System.Text.Json.JsonSerializer.Serialize(new EnrollRequest("ABCD-EFGH", csrPem,
            new DeviceInfo(FuzzDevice.Udid, "C02XYZ", "mac-01", "Mac14,2", "macOS", "15.1")), SignetJson.Options));
        yield return As(1, """{"agentVersion":"1.4.0"}""");
        yield return As(2, """
            {"collectedAt":"2026-11-28T02:00:00Z","operatingSystem":{"name":"macOS","version":"15.1","kernel":"24.1.0","architecture":"arm64"},
             "hardware":{"model":"Mac14,2","serialNumber":"C02XYZ","cpu":"Apple M2","cpuCores":8,"memoryBytes":17179869184},
             "disks":[{"name":"disk0","mountPoint":"/","fileSystem":"apfs","sizeBytes":494384795648,"freeBytes":1e3}],
             "networkInterfaces":[{"name":"en0","macAddress":"aa:bb:cc:dd:ee:ff","addresses":["192.0.2.1","2001:db8::1"]}],
             "localUsers":[{"name":"ada","uid":501,"home":"/Users/ada","shell":"/bin/zsh"}],
             "applications":[{"name":"Safari","version":"18.1","source":"apple"}],"truncated":false}
            """);
        yield return As(3, $$"""{"csr":{{csr}}}""");
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => FuzzDevice.Now;
    }

    /// <summary>Takes the signed request as the server would receive it, in <see cref="FuzzMessage"/>'s text form.</summary>
    private sealed class Capture : HttpMessageHandler
    {
        public byte[]? Message { get; private set; }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var headers = new List<KeyValuePair<string, string>> { new("Host", uri.Authority) };
            headers.AddRange(request.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
            var body = Array.Empty<byte>();
            if (request.Content is not null)
            {
                headers.AddRange(request.Content.Headers.NonValidated.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
                body = request.Content.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult();
            }

            Message = FuzzMessage.Write(request.Method.Method, uri.PathAndQuery, headers, body);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(Send(request, cancellationToken));
    }
}
