using System.Buffers;

namespace Signet.Protocol.StructuredFields;

/// <summary>RFC 8941 §4.2 parsing, strict: anything the RFC says to fail fails, and failure is a false return,
/// never an exception. The caller combines repeated field lines with ", " first (§4.2).</summary>
internal static class SfParser
{
    private const int MaxIntegerDigits = 15;
    private const int MaxDecimalIntegerDigits = 12;
    private const int MaxDecimalChars = 16;
    private const int MaxFractionDigits = 3;

    private static readonly SearchValues<char> KeyChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-.*");

    // tchar (RFC 9110 §5.6.2) plus ":" and "/", as sf-token allows.
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:/");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    public static bool TryParseDictionary(ReadOnlySpan<char> input, out SfDictionary dictionary)
    {
        var reader = new Reader(input);
        reader.SkipSp();
        if (ParseDictionary(ref reader, out dictionary!))
        {
            reader.SkipSp();
            if (reader.AtEnd)
            {
                return true;
            }
        }

        dictionary = null!;
        return false;
    }

    public static bool TryParseList(ReadOnlySpan<char> input, out List<SfMember> list)
    {
        var reader = new Reader(input);
        reader.SkipSp();
        if (ParseList(ref reader, out list!))
        {
            reader.SkipSp();
            if (reader.AtEnd)
            {
                return true;
            }
        }

        list = null!;
        return false;
    }

    public static bool TryParseItem(ReadOnlySpan<char> input, out SfItem item)
    {
        var reader = new Reader(input);
        reader.SkipSp();
        if (ParseItem(ref reader, out item!))
        {
            reader.SkipSp();
            if (reader.AtEnd)
            {
                return true;
            }
        }

        item = null!;
        return false;
    }

    private static bool ParseList(ref Reader reader, out List<SfMember>? list)
    {
        list = [];
        while (!reader.AtEnd)
        {
            if (!ParseItemOrInnerList(ref reader, out var member))
            {
                return false;
            }

            list.Add(member);
            if (!ParseMemberSeparator(ref reader, out var more))
            {
                return false;
            }

            if (!more)
            {
                return true;
            }
        }

        return true;
    }

    private static bool ParseDictionary(ref Reader reader, out SfDictionary? dictionary)
    {
        dictionary = null;
        var entries = new List<KeyValuePair<string, SfMember>>();
        var duplicates = false;
        while (!reader.AtEnd)
        {
            if (!ParseKey(ref reader, out var key))
            {
                return false;
            }

            SfMember member;
            if (reader.Peek == '=')
            {
                reader.Advance();
                if (!ParseItemOrInnerList(ref reader, out member))
                {
                    return false;
                }
            }
            else
            {
                if (!ParseParameters(ref reader, out var parameters))
                {
                    return false;
                }

                member = SfMember.FromItem(new SfItem(SfBareItem.FromBoolean(true), parameters));
            }

            var index = IndexOf(entries, key);
            if (index >= 0)
            {
                entries[index] = new(key, member);
                duplicates = true;
            }
            else
            {
                entries.Add(new(key, member));
            }

            if (!ParseMemberSeparator(ref reader, out var more))
            {
                return false;
            }

            if (!more)
            {
                break;
            }
        }

        dictionary = new SfDictionary(entries, duplicates);
        return true;
    }

    private static int IndexOf<T>(List<KeyValuePair<string, T>> entries, string key)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (string.Equals(entries[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    // After a list or dictionary member: OWS, then either the end or "," OWS and another member (a trailing comma fails).
    private static bool ParseMemberSeparator(ref Reader reader, out bool more)
    {
        reader.SkipOws();
        if (reader.AtEnd)
        {
            more = false;
            return true;
        }

        more = true;
        if (reader.Peek != ',')
        {
            return false;
        }

        reader.Advance();
        reader.SkipOws();
        return !reader.AtEnd;
    }

    private static bool ParseItemOrInnerList(ref Reader reader, out SfMember member)
    {
        if (reader.Peek == '(')
        {
            return ParseInnerList(ref reader, out member);
        }

        if (ParseItem(ref reader, out var item))
        {
            member = SfMember.FromItem(item!);
            return true;
        }

        member = null!;
        return false;
    }

    private static bool ParseInnerList(ref Reader reader, out SfMember member)
    {
        member = null!;
        reader.Advance(); // "("
        var items = new List<SfItem>(8);
        while (!reader.AtEnd)
        {
            reader.SkipSp();
            if (reader.AtEnd)
            {
                return false;
            }

            if (reader.Peek == ')')
            {
                reader.Advance();
                if (!ParseParameters(ref reader, out var parameters))
                {
                    return false;
                }

                member = SfMember.FromInnerList(items, parameters);
                return true;
            }

            if (!ParseItem(ref reader, out var item))
            {
                return false;
            }

            items.Add(item!);
            if (reader.AtEnd || (reader.Peek != ' ' && reader.Peek != ')'))
            {
                return false;
            }
        }

        return false;
    }

    private static bool ParseItem(ref Reader reader, out SfItem? item)
    {
        item = null;
        if (!ParseBareItem(ref reader, out var value) || !ParseParameters(ref reader, out var parameters))
        {
            return false;
        }

        item = new SfItem(value, parameters);
        return true;
    }

    private static bool ParseParameters(ref Reader reader, out SfParameters parameters)
    {
        parameters = SfParameters.Empty;
        List<KeyValuePair<string, SfBareItem>>? entries = null;
        var duplicates = false;
        while (!reader.AtEnd && reader.Peek == ';')
        {
            reader.Advance();
            reader.SkipSp();
            if (!ParseKey(ref reader, out var key))
            {
                return false;
            }

            var value = SfBareItem.FromBoolean(true);
            if (!reader.AtEnd && reader.Peek == '=')
            {
                reader.Advance();
                if (!ParseBareItem(ref reader, out value))
                {
                    return false;
                }
            }

            entries ??= [];
            var index = IndexOf(entries, key);
            if (index >= 0)
            {
                entries[index] = new(key, value);
                duplicates = true;
            }
            else
            {
                entries.Add(new(key, value));
            }
        }

        if (entries is not null)
        {
            parameters = new SfParameters(entries, duplicates);
        }

        return true;
    }

    private static bool ParseKey(ref Reader reader, out string key)
    {
        key = string.Empty;
        if (reader.AtEnd || !(reader.Peek is (>= 'a' and <= 'z') or '*'))
        {
            return false;
        }

        var rest = reader.Remaining;
        var length = rest.IndexOfAnyExcept(KeyChars);
        if (length < 0)
        {
            length = rest.Length;
        }

        key = KeyStrings.Get(rest[..length]);
        reader.Advance(length);
        return true;
    }

    private static bool ParseBareItem(ref Reader reader, out SfBareItem value)
    {
        value = default;
        if (reader.AtEnd)
        {
            return false;
        }

        var c = reader.Peek;
        return c switch
        {
            '-' or (>= '0' and <= '9') => ParseNumber(ref reader, out value),
            '"' => ParseString(ref reader, out value),
            ':' => ParseByteSequence(ref reader, out value),
            '?' => ParseBoolean(ref reader, out value),
            (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '*' => ParseToken(ref reader, out value),
            _ => false,
        };
    }

    private static bool ParseNumber(ref Reader reader, out SfBareItem value)
    {
        value = default;
        var negative = false;
        if (reader.Peek == '-')
        {
            negative = true;
            reader.Advance();
        }

        if (reader.AtEnd || !char.IsAsciiDigit(reader.Peek))
        {
            return false;
        }

        var rest = reader.Remaining;
        var length = 0;
        var dot = -1;
        while (length < rest.Length)
        {
            var c = rest[length];
            if (char.IsAsciiDigit(c))
            {
                length++;
            }
            else if (dot < 0 && c == '.')
            {
                if (length > MaxDecimalIntegerDigits)
                {
                    return false;
                }

                dot = length;
                length++;
            }
            else
            {
                break;
            }

            if ((dot < 0 && length > MaxIntegerDigits) || (dot >= 0 && length > MaxDecimalChars))
            {
                return false;
            }
        }

        var number = rest[..length];
        reader.Advance(length);
        if (dot < 0)
        {
            long integer = 0;
            foreach (var digit in number)
            {
                integer = (integer * 10) + (digit - '0');
            }

            value = SfBareItem.FromInteger(negative ? -integer : integer);
            return true;
        }

        var fractionDigits = length - dot - 1;
        if (fractionDigits is 0 or > MaxFractionDigits)
        {
            return false;
        }

        decimal result = 0;
        foreach (var c in number)
        {
            if (c != '.')
            {
                result = (result * 10) + (c - '0');
            }
        }

        for (var i = 0; i < fractionDigits; i++)
        {
            result /= 10;
        }

        value = SfBareItem.FromDecimal(negative ? -result : result);
        return true;
    }

    private static bool ParseString(ref Reader reader, out SfBareItem value)
    {
        value = default;
        reader.Advance(); // opening DQUOTE
        var rest = reader.Remaining;

        // Fast path: no escapes, which is every string a signature carries.
        var end = rest.IndexOfAny('"', '\\');
        if (end >= 0 && rest[end] == '"')
        {
            var content = rest[..end];
            if (!IsVisibleAscii(content))
            {
                return false;
            }

            value = SfBareItem.FromString(KnownStrings.Get(content));
            reader.Advance(end + 1);
            return true;
        }

        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == '\\')
            {
                if (++i >= rest.Length || rest[i] is not ('"' or '\\'))
                {
                    return false;
                }

                builder.Append(rest[i]);
            }
            else if (c == '"')
            {
                value = SfBareItem.FromString(builder.ToString());
                reader.Advance(i + 1);
                return true;
            }
            else if (c is < ' ' or > '~')
            {
                return false;
            }
            else
            {
                builder.Append(c);
            }
        }

        return false;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange(' ', '~');

    private static bool ParseToken(ref Reader reader, out SfBareItem value)
    {
        var rest = reader.Remaining;
        var length = rest[1..].IndexOfAnyExcept(TokenChars);
        length = length < 0 ? rest.Length : length + 1;
        value = SfBareItem.FromToken(rest[..length].ToString());
        reader.Advance(length);
        return true;
    }

    private static bool ParseByteSequence(ref Reader reader, out SfBareItem value)
    {
        value = default;
        reader.Advance(); // opening ":"
        var rest = reader.Remaining;
        var end = rest.IndexOf(':');
        if (end < 0)
        {
            return false;
        }

        var encoded = rest[..end];
        if (encoded.ContainsAnyExcept(Base64Chars) || !TryDecodeBase64(encoded, out var bytes))
        {
            return false;
        }

        value = SfBareItem.FromBytes(bytes);
        reader.Advance(end + 1);
        return true;
    }

    // RFC 8941 §4.2.7: parsers SHOULD NOT fail when "=" padding is absent; padding that is present must be right
    // (no "=" inside the data, no more "=" than the length needs).
    private static bool TryDecodeBase64(ReadOnlySpan<char> encoded, out byte[] bytes)
    {
        bytes = [];
        var data = encoded.TrimEnd('=');
        var padding = encoded.Length - data.Length;
        if (data.Contains('=') || data.Length % 4 == 1)
        {
            return false;
        }

        var needed = (4 - (data.Length % 4)) % 4;
        if (padding != 0 && padding != needed)
        {
            return false;
        }

        if (data.Length == 0)
        {
            return true;
        }

        Span<char> padded = data.Length + needed <= 512 ? stackalloc char[data.Length + needed] : new char[data.Length + needed];
        data.CopyTo(padded);
        padded[data.Length..].Fill('=');
        var buffer = new byte[(padded.Length / 4 * 3) - needed];
        if (!Convert.TryFromBase64Chars(padded, buffer, out var written) || written != buffer.Length)
        {
            return false;
        }

        bytes = buffer;
        return true;
    }

    private static bool ParseBoolean(ref Reader reader, out SfBareItem value)
    {
        value = default;
        reader.Advance(); // "?"
        if (reader.AtEnd || reader.Peek is not ('0' or '1'))
        {
            return false;
        }

        value = SfBareItem.FromBoolean(reader.Peek == '1');
        reader.Advance();
        return true;
    }

    private ref struct Reader(ReadOnlySpan<char> input)
    {
        private ReadOnlySpan<char> _rest = input;

        public readonly bool AtEnd => _rest.IsEmpty;

        /// <summary>The next character, or NUL at the end (NUL never matches anything the grammar wants).</summary>
        public readonly char Peek => _rest.IsEmpty ? '\0' : _rest[0];

        public readonly ReadOnlySpan<char> Remaining => _rest;

        public void Advance(int count = 1) => _rest = _rest[count..];

        public void SkipSp() => _rest = _rest.TrimStart(' ');

        public void SkipOws() => _rest = _rest.TrimStart(" \t");
    }
}
