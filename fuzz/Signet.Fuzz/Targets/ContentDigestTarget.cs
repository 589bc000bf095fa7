using System.Text;
using Signet.Protocol.Digests;

namespace Signet.Fuzz.Targets;

/// <summary>RFC 9530: the first line is the Content-Digest field value, the rest the body. The check must not throw,
/// and the digests Signet computes for that body must match it.</summary>
internal static class ContentDigestTarget
{
    public static void Run(byte[] input)
    {
        var newline = Array.IndexOf(input, (byte)'\n');
        var field = Encoding.Latin1.GetString(input, 0, newline < 0 ? input.Length : newline);
        var body = newline < 0 ? [] : input.AsSpan(newline + 1);
        _ = ContentDigest.Verify(field, body);

        foreach (var algorithm in new[] { DigestAlgorithm.Sha256, DigestAlgorithm.Sha512 })
        {
            if (ContentDigest.Verify(ContentDigest.Compute(body, algorithm), body) != DigestCheck.Match)
            {
                throw new InvalidOperationException($"the computed {algorithm} digest does not match its own body");
            }
        }
    }
}
