using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Device;

/// <summary>The fixed rules of the signet-device profile (docs/protocol.md).</summary>
internal static class DeviceProfile
{
    /// <summary>The label the agent signs under; the verifier accepts any label.</summary>
    public const string Label = "sig1";

    /// <summary>Signature-Input or Signature longer than this (in characters, lines combined) is malformed.</summary>
    public const int MaxFieldLength = 8 * 1024;

    public const int MaxComponents = 32;

    public const int MinimumNonceBytes = 16;

    public const int NonceBytes = 32;

    /// <summary>The components every device signature must cover, without parameters, in any order.</summary>
    public static readonly string[] RequiredComponents =
        ["@method", "@authority", "@path", "@query", "content-digest", "signet-device"];

    /// <summary>The components the agent covers, in this order.</summary>
    public static readonly List<SfItem> SignedComponents = [.. RequiredComponents.Select(HttpSignatures.Component)];

    /// <summary>Algorithms a device may sign with: the asymmetric ones a device certificate can carry.</summary>
    public static bool IsAllowed(SignatureAlgorithm algorithm) => algorithm is
        SignatureAlgorithm.RsaPssSha512 or SignatureAlgorithm.RsaV15Sha256 or
        SignatureAlgorithm.EcdsaP256Sha256 or SignatureAlgorithm.EcdsaP384Sha384;

    /// <summary>True for base64url (padding optional, unused bits zero) that decodes to at least
    /// <see cref="MinimumNonceBytes"/> bytes; <paramref name="canonical"/> is then the same bytes in unpadded base64url,
    /// the one form in which nonces are compared (so <c>N</c> and <c>N=</c> are one nonce).</summary>
    public static bool TryCanonicalizeNonce(string nonce, [NotNullWhen(true)] out string? canonical)
    {
        canonical = null;
        var data = nonce.AsSpan().TrimEnd('=');
        var padding = nonce.Length - data.Length;
        if (padding != 0 && padding != (4 - (data.Length % 4)) % 4)
        {
            return false;
        }

        foreach (var c in data)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        if (data.Length % 4 == 1 || data.Length * 6 / 8 < MinimumNonceBytes)
        {
            return false;
        }

        // The decoder refuses non-zero unused bits in the last character, so every byte string has one spelling.
        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(data.Length)];
        if (Base64Url.DecodeFromChars(data, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != data.Length)
        {
            return false;
        }

        canonical = Base64Url.EncodeToString(bytes[..written]);
        return true;
    }
}
