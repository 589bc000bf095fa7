using System.Globalization;

namespace Signet.Protocol.StructuredFields;

/// <summary>RFC 8941 §4.1 serialization. Values that cannot be serialized (a string with a control character, an
/// integer of 16 digits, ...) are programming errors on our side and throw <see cref="ArgumentException"/>; parsed
/// values always serialize.</summary>
internal static class SfSerializer
{
    private const long MaxInteger = 999_999_999_999_999;
    private const decimal MaxDecimalIntegerPart = 999_999_999_999m;

    public static string Serialize(SfBareItem value)
    {
        using var writer = new AsciiWriter(64);
        WriteBareItem(writer, value);
        return writer.ToString();
    }

    public static string Serialize(SfDictionary dictionary)
    {
        using var writer = new AsciiWriter(256);
        WriteDictionary(writer, dictionary);
        return writer.ToString();
    }

    public static string Serialize(List<SfMember> list)
    {
        using var writer = new AsciiWriter(256);
        WriteList(writer, list);
        return writer.ToString();
    }

    public static string Serialize(SfItem item)
    {
        using var writer = new AsciiWriter(64);
        WriteItem(writer, item);
        return writer.ToString();
    }

    public static void WriteList(AsciiWriter writer, List<SfMember> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", ");
            }

            WriteMember(writer, list[i]);
        }
    }

    public static void WriteDictionary(AsciiWriter writer, SfDictionary dictionary)
    {
        for (var i = 0; i < dictionary.Entries.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", ");
            }

            var (key, member) = dictionary.Entries[i];
            WriteKey(writer, key);
            if (!member.IsInnerList && member.Item!.Value is { Kind: SfKind.Boolean, Boolean: true })
            {
                WriteParameters(writer, member.Parameters);
            }
            else
            {
                writer.Write('=');
                WriteMember(writer, member);
            }
        }
    }

    public static void WriteMember(AsciiWriter writer, SfMember member)
    {
        if (member.IsInnerList)
        {
            WriteInnerList(writer, member.InnerList!, member.Parameters);
        }
        else
        {
            WriteItem(writer, member.Item!);
        }
    }

    public static void WriteInnerList(AsciiWriter writer, List<SfItem> items, SfParameters parameters)
    {
        writer.Write('(');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(' ');
            }

            WriteItem(writer, items[i]);
        }

        writer.Write(')');
        WriteParameters(writer, parameters);
    }

    public static void WriteItem(AsciiWriter writer, SfItem item)
    {
        WriteBareItem(writer, item.Value);
        WriteParameters(writer, item.Parameters);
    }

    public static void WriteParameters(AsciiWriter writer, SfParameters parameters)
    {
        foreach (var (key, value) in parameters.Entries)
        {
            writer.Write(';');
            WriteKey(writer, key);
            if (value is not { Kind: SfKind.Boolean, Boolean: true })
            {
                writer.Write('=');
                WriteBareItem(writer, value);
            }
        }
    }

    public static void WriteKey(AsciiWriter writer, string key)
    {
        if (!IsValidKey(key))
        {
            throw new ArgumentException($"'{key}' is not a structured field key.", nameof(key));
        }

        writer.Write(key);
    }

    public static bool IsValidKey(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || !(key[0] is (>= 'a' and <= 'z') or '*'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*'))
            {
                return false;
            }
        }

        return true;
    }

    public static void WriteBareItem(AsciiWriter writer, SfBareItem value)
    {
        switch (value.Kind)
        {
            case SfKind.Integer:
                var integer = value.Integer;
                if (integer is > MaxInteger or < -MaxInteger)
                {
                    throw new ArgumentException("Integer out of structured field range.", nameof(value));
                }

                writer.WriteInteger(integer);
                break;
            case SfKind.Decimal:
                WriteDecimal(writer, value.Decimal);
                break;
            case SfKind.String:
                WriteString(writer, value.String);
                break;
            case SfKind.Token:
                WriteToken(writer, value.Token);
                break;
            case SfKind.ByteSequence:
                writer.Write(':');
                writer.WriteBase64(value.Bytes);
                writer.Write(':');
                break;
            case SfKind.Boolean:
                writer.Write(value.Boolean ? "?1" : "?0");
                break;
            default:
                throw new ArgumentException("Unknown bare item kind.", nameof(value));
        }
    }

    private static void WriteDecimal(AsciiWriter writer, decimal value)
    {
        var rounded = Math.Round(value, 3, MidpointRounding.ToEven);
        if (Math.Abs(decimal.Truncate(rounded)) > MaxDecimalIntegerPart)
        {
            throw new ArgumentException("Decimal out of structured field range.", nameof(value));
        }

        // "0.0##" gives at least one and at most three fractional digits, as §4.1.5 asks.
        writer.Write(rounded.ToString("0.0##", CultureInfo.InvariantCulture));
    }

    private static void WriteString(AsciiWriter writer, string value)
    {
        writer.Write('"');
        if (!value.AsSpan().ContainsAnyExceptInRange(' ', '~') && !value.AsSpan().ContainsAny('"', '\\'))
        {
            // Nothing to escape or refuse (every keyid, nonce, alg and component name): copy it whole.
            writer.Write(value);
            writer.Write('"');
            return;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("Structured field strings are visible ASCII only.", nameof(value));
            }

            if (c is '"' or '\\')
            {
                writer.Write('\\');
            }

            writer.Write(c);
        }

        writer.Write('"');
    }

    private static void WriteToken(AsciiWriter writer, string value)
    {
        if (!IsValidToken(value))
        {
            throw new ArgumentException($"'{value}' is not a structured field token.", nameof(value));
        }

        writer.Write(value);
    }

    public static bool IsValidToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !(char.IsAsciiLetter(value[0]) || value[0] == '*'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~:/".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }
}
