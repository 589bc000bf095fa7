using System.Text;
using Microsoft.AspNetCore.Http;
using Signet.Protocol.Device;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;
using Signet.Protocol.Tests.Support;

namespace Signet.Protocol.Tests;

/// <summary>Random and mutated field values through the parsers, the digest check, the base builder and the
/// device verifier: nothing may throw, and everything must finish (seeded, so a failure reproduces).</summary>
public sealed class FuzzTests
{
    private const int Iterations = 100_000;
    private const string Alphabet = "abcxyz019AZ-_.*:/;=,()\"\\?@ \t+%!#$&'^`|~<>{}[]\r\n\0\u007f\u00e9\u20ac";

    private static readonly string[] Corpus =
    [
        "sig1=(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\" \"signet-device\");created=1764295200;nonce=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\";keyid=\"abc\";alg=\"ecdsa-p256-sha256\"",
        "sig1=:X5spyd6CFnAG5QnDyHfqoSNICd+BUP4LYMz2Q0JXlb//4Ijpzp+kve2w4NIyqeAuM7jTDX+sNalzA8ESSaHD3A==:",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:",
        "a=1, b=2;x=1;y=2, c=(a   b   c), d=?0, e=1.5, f=\"s\\\"q\", g=tok/en",
        "(\"@query-param\";name=\"Pet\" \"example-dict\";key=\"a\" \"x\";bs \"y\";sf \"@status\";req)",
        "1, 2.25, \"x\", :AQID:, ?1, *tok",
    ];

    [Fact(Timeout = 120_000)]
    public async Task NothingThrowsOrHangs()
    {
        await Task.Yield();
        // RSA: its verification is the cheapest of the device algorithms, and many mutations reach it.
        using var device = new TestDevice("rsa");
        var signed = device.Post();
        var random = new Random(20261128);
        var fields = new[] { "Signature-Input", "Signature", "Content-Digest", "Signet-Device", "Host" };
        var originals = fields.ToDictionary(f => f, f => f == "Host" ? signed.Host : signed.Header(f)!);
        var message = Vectors.Message("rfc9421/messages/test-request.http");
        var verified = 0;
        var context = signed.Context;

        for (var i = 0; i < Iterations; i++)
        {
            var field = fields[random.Next(fields.Length)];
            var value = random.Next(10) switch
            {
                0 => RandomText(random, random.Next(0, 64)),
                1 or 2 => Mutate(random, Corpus[random.Next(Corpus.Length)]),
                _ => Mutate(random, originals[field]),
            };

            try
            {
                Exercise(value, message);
                context.Request.Headers[field] = value;
                var result = DeviceSignatureVerifier.Verify(context.Request, signed.Body, device.Resolve, device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
                context.Request.Headers[field] = originals[field];
                verified += result.Succeeded ? 1 : 0;
                Assert.True(result.Succeeded || result.Problem is not null);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"iteration {i}: {field}: {Escape(value)} threw {e}");
            }
        }

        // Mutations that only touch whitespace or a repeated value can leave a request valid; most must not.
        Assert.InRange(verified, 0, Iterations / 4);
    }

    [Fact]
    public void VerifierSurvivesHostileRequestShapes()
    {
        using var device = new TestDevice("p256");
        var signed = device.Post();
        var shapes = new Action<HttpRequest>[]
        {
            r => r.Headers.Host = "",
            r => r.Headers.Remove("Host"),
            r => r.Headers.Append("Host", "second.example.com"),
            r => r.Method = "",
            r => r.Scheme = "",
            r => r.Headers["Signet-Device"] = "caf\u00e9\u20ac",
            r => r.Headers["Content-Digest"] = "sha-256=:" + new string('A', 100_000) + ":",
            r => r.Headers["Signature-Input"] = "sig1=(" + string.Concat(Enumerable.Repeat("\"a\" ", 100_000)) + ")",
            r => r.Headers["Signature-Input"] = new string('(', 100_000),
            r => r.Headers.Append("Signature-Input", ""),
        };

        foreach (var shape in shapes)
        {
            var context = signed.Context;
            shape(context.Request);
            var result = DeviceSignatureVerifier.Verify(context.Request, signed.Body, device.Resolve, device.Time.GetUtcNow(), TimeSpan.FromMinutes(5));
            Assert.NotNull(result);
        }
    }

    private static void Exercise(string value, HttpFile message)
    {
        if (SfParser.TryParseDictionary(value, out var dictionary))
        {
            // Whatever parses must serialize and parse back to the same thing.
            var serialized = SfSerializer.Serialize(dictionary);
            Assert.True(SfParser.TryParseDictionary(serialized, out var again), Escape(value));
            Assert.Equal(serialized, SfSerializer.Serialize(again));
        }

        if (SfParser.TryParseList(value, out var list))
        {
            var serialized = SfSerializer.Serialize(list);
            Assert.True(SfParser.TryParseList(serialized, out _), Escape(value));
            if (list.Count == 1 && list[0].IsInnerList)
            {
                HttpSignatures.TryCreateBase(message, list[0].InnerList!, list[0].Parameters, out _, out _);
            }
        }

        if (SfParser.TryParseItem(value, out var item))
        {
            Assert.True(SfParser.TryParseItem(SfSerializer.Serialize(item), out _), Escape(value));
        }

        ContentDigest.Verify(value, "{}"u8);
    }

    private static string Mutate(Random random, string value)
    {
        var builder = new StringBuilder(value);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = builder.Length == 0 ? 0 : random.Next(builder.Length);
            switch (random.Next(7))
            {
                case 0 when builder.Length > 0:
                    builder[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1:
                    builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when builder.Length > 0:
                    builder.Remove(at, Math.Min(builder.Length - at, random.Next(1, 8)));
                    break;
                case 3:
                    builder.Length = at;
                    break;
                case 4 when builder.Length > 0:
                    var length = Math.Min(builder.Length - at, random.Next(1, 40));
                    builder.Insert(at, builder.ToString(at, length));
                    break;
                case 5:
                    builder.Insert(at, new string('9', random.Next(1, 20)));
                    break;
                default:
                    builder.Insert(at, ", " + Corpus[random.Next(Corpus.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    private static string Escape(string value) =>
        string.Concat(value.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));
}
