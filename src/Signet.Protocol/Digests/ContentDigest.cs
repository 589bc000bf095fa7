using System.Security.Cryptography;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Digests;

/// <summary>RFC 9530 <c>Content-Digest</c>: compute and verify sha-256 and sha-512.</summary>
public static class ContentDigest
{
    private const string Sha256Key = "sha-256";
    private const string Sha512Key = "sha-512";

    private static readonly System.Buffers.SearchValues<char> Base64Chars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    /// <summary>The field value, e.g. <c>sha-256=:X48E9q...=:</c>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256)
    {
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        var (key, length) = algorithm switch
        {
            DigestAlgorithm.Sha256 => (Sha256Key, SHA256.HashData(body, hash)),
            DigestAlgorithm.Sha512 => (Sha512Key, SHA512.HashData(body, hash)),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
        };

        return $"{key}=:{Convert.ToBase64String(hash[..length])}:";
    }

    /// <summary>Checks a received field value against the received body. Never throws. Members for algorithms
    /// Signet does not support (including the deprecated md5, sha, unixsum, unixcksum, adler and crc32c) are
    /// ignored, so a field holding only those is <see cref="DigestCheck.Malformed"/>; a supported member whose value
    /// is not a byte sequence is malformed too.</summary>
    public static DigestCheck Verify(string? fieldValue, ReadOnlySpan<byte> body)
    {
        if (TryVerifySingleSha256(fieldValue, body, out var check))
        {
            return check;
        }

        if (string.IsNullOrEmpty(fieldValue) || !SfParser.TryParseDictionary(fieldValue, out var dictionary))
        {
            return DigestCheck.Malformed;
        }

        var supported = 0;
        var allMatch = true;
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        foreach (var (key, member) in dictionary.Entries)
        {
            int length;
            if (string.Equals(key, Sha256Key, StringComparison.Ordinal))
            {
                length = SHA256.HashData(body, hash);
            }
            else if (string.Equals(key, Sha512Key, StringComparison.Ordinal))
            {
                length = SHA512.HashData(body, hash);
            }
            else
            {
                continue;
            }

            if (member.IsInnerList || member.Item!.Value.Kind != SfKind.ByteSequence)
            {
                return DigestCheck.Malformed;
            }

            supported++;
            allMatch &= CryptographicOperations.FixedTimeEquals(hash[..length], member.Item.Value.Bytes);
        }

        return supported == 0 ? DigestCheck.Malformed : allMatch ? DigestCheck.Match : DigestCheck.Mismatch;
    }

    // What every agent sends, "sha-256=:<44 base64 characters>:", checked without the general parser; anything
    // else (other members, parameters, whitespace, odd padding) takes the general path.
    private static bool TryVerifySingleSha256(string? fieldValue, ReadOnlySpan<byte> body, out DigestCheck check)
    {
        const string prefix = Sha256Key + "=:";
        const int encodedLength = 44;
        check = DigestCheck.Malformed;
        if (fieldValue is null || fieldValue.Length != prefix.Length + encodedLength + 1
            || !fieldValue.StartsWith(prefix, StringComparison.Ordinal) || fieldValue[^1] != ':')
        {
            return false;
        }

        // Convert skips whitespace that a structured field must refuse, so the alphabet is checked first.
        var encoded = fieldValue.AsSpan(prefix.Length, encodedLength);
        Span<byte> received = stackalloc byte[SHA256.HashSizeInBytes + 1];
        if (encoded.ContainsAnyExcept(Base64Chars) || !Convert.TryFromBase64Chars(encoded, received, out var written)
            || written != SHA256.HashSizeInBytes)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        check = CryptographicOperations.FixedTimeEquals(hash, received[..written]) ? DigestCheck.Match : DigestCheck.Mismatch;
        return true;
    }
}
