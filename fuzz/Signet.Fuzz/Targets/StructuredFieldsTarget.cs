using System.Text;
using Signet.Protocol.StructuredFields;

namespace Signet.Fuzz.Targets;

/// <summary>RFC 8941: the first byte picks dictionary, list or item; the rest is the field value. Whatever parses must
/// serialize, and the serialized form must parse to the same serialization (a round trip that does not hold means the
/// parser accepted something the serializer cannot express, or the two disagree).</summary>
internal static class StructuredFieldsTarget
{
    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var text = Encoding.Latin1.GetString(input, 1, input.Length - 1);
        switch (input[0] % 3)
        {
            case 0:
                if (SfParser.TryParseDictionary(text, out var dictionary))
                {
                    var once = SfSerializer.Serialize(dictionary);
                    Check(SfParser.TryParseDictionary(once, out var again), once, again is null ? null : SfSerializer.Serialize(again));
                }

                break;
            case 1:
                if (SfParser.TryParseList(text, out var list))
                {
                    var once = SfSerializer.Serialize(list);
                    Check(SfParser.TryParseList(once, out var again), once, again is null ? null : SfSerializer.Serialize(again));
                }

                break;
            default:
                if (SfParser.TryParseItem(text, out var item))
                {
                    var once = SfSerializer.Serialize(item);
                    Check(SfParser.TryParseItem(once, out var again), once, again is null ? null : SfSerializer.Serialize(again));
                }

                break;
        }
    }

    private static void Check(bool reparsed, string once, string? twice)
    {
        if (!reparsed || !string.Equals(once, twice, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"round trip broke: serialized '{once}', reparsed {reparsed}, serialized again '{twice}'");
        }
    }
}
