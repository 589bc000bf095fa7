using System.Text;

namespace Signet.Protocol.Signatures;

/// <summary>RFC 9421 §2.2.8 <c>@query-param</c>: names and values are parsed as
/// application/x-www-form-urlencoded, then re-encoded with that set's percent-encoding (space as %20).</summary>
internal static class QueryParameters
{
    /// <summary>The re-encoded value of the one parameter whose re-encoded name is <paramref name="encodedName"/>;
    /// false when it is absent or occurs more than once (§2.2.8 forbids covering a repeated name).</summary>
    public static bool TryGetValue(string? query, string? encodedName, out string value)
    {
        value = string.Empty;
        if (query is null || encodedName is null)
        {
            return false;
        }

        var found = 0;
        foreach (var range in query.AsSpan().Split('&'))
        {
            var pair = query.AsSpan(range);
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var rawValue = equals < 0 ? [] : pair[(equals + 1)..];
            if (Reencode(name) != encodedName)
            {
                continue;
            }

            if (++found > 1)
            {
                return false;
            }

            value = Reencode(rawValue);
        }

        return found == 1;
    }

    public static string Reencode(ReadOnlySpan<char> encoded)
    {
        var bytes = Decode(encoded);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'*' or (byte)'-' or (byte)'.' or (byte)'_')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return builder.ToString();
    }

    // The WHATWG urlencoded parser: "+" is a space, "%XX" a byte, a "%" not followed by two hex digits stays itself.
    private static byte[] Decode(ReadOnlySpan<char> encoded)
    {
        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < encoded.Length && char.IsAsciiHexDigit(encoded[i + 1]) && char.IsAsciiHexDigit(encoded[i + 2]))
            {
                bytes.Add((byte)((HexValue(encoded[i + 1]) << 4) | HexValue(encoded[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var length = Encoding.UTF8.GetBytes([c], utf8);
                foreach (var b in utf8[..length])
                {
                    bytes.Add(b);
                }
            }
        }

        return [.. bytes];
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
