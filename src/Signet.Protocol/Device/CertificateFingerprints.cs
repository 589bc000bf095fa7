using System.Globalization;
using System.Security.Cryptography;

namespace Signet.Protocol.Device;

/// <summary>The one way Signet writes a certificate's fingerprint for people to compare (agent output, server banner,
/// console, <c>signet enroll --ca-fingerprint</c>): SHA-256 of the DER bytes as uppercase hex pairs separated by colons,
/// as <c>openssl x509 -fingerprint -sha256</c> prints it. Input is accepted with or without colons, in any case.</summary>
public static class CertificateFingerprints
{
    private const int HashBytes = 32;

    /// <summary>The fingerprint of <paramref name="certificateDer"/>, e.g. <c>5D:F5:…:0A</c>.</summary>
    public static string Sha256(ReadOnlySpan<byte> certificateDer) => Format(SHA256.HashData(certificateDer));

    /// <summary>Reads a SHA-256 fingerprint typed or pasted by a person: 64 hex digits, optionally in colon-separated
    /// pairs, any case, surrounding spaces ignored. Null when it is not one.</summary>
    public static byte[]? TryParse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        var digits = trimmed.Contains(':', StringComparison.Ordinal) ? Unpaired(trimmed) : trimmed;
        if (digits is not { Length: HashBytes * 2 } || !digits.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        return Convert.FromHexString(digits);
    }

    /// <summary>True when <paramref name="expected"/> (any accepted form) is the fingerprint of <paramref name="certificateDer"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> certificateDer, string? expected) =>
        TryParse(expected) is { } hash && CryptographicOperations.FixedTimeEquals(hash, SHA256.HashData(certificateDer));

    /// <summary>The canonical form of an accepted input (for messages that repeat what was given); null when not one.</summary>
    public static string? Normalize(string? text) => TryParse(text) is { } hash ? Format(hash) : null;

    private static string Format(byte[] hash) =>
        string.Join(':', hash.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    // With colons every pair must be exactly two digits: "5D:F5" yes, "5:DF5" no.
    private static string? Unpaired(string text)
    {
        var pairs = text.Split(':');
        return pairs.All(p => p.Length == 2) ? string.Concat(pairs) : null;
    }
}
