using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Tests;

/// <summary>RFC 8941 parsing and serialization: what must parse (and how it serializes back), what must fail.</summary>
public sealed class StructuredFieldTests
{
    [Theory]
    [InlineData("a=1, b=2;x=1;y=2, c=(a b c)", "a=1, b=2;x=1;y=2, c=(a b c)")]
    [InlineData("a=1,b=2", "a=1, b=2")]
    [InlineData("a=1 ,\tb=2", "a=1, b=2")]
    [InlineData("  a=1  ", "a=1")]
    [InlineData("a=1\t", "a=1")] // §4.2.2 discards OWS (HTAB too) after the last member
    [InlineData("a, b;x=?0, c=?1", "a, b;x=?0, c")]
    [InlineData("a=(), b=(1 2);p", "a=(), b=(1 2);p")]
    [InlineData("a=(  1   2  )", "a=(1 2)")]
    [InlineData("a=-999999999999999", "a=-999999999999999")]
    [InlineData("a=999999999999.999", "a=999999999999.999")]
    [InlineData("a=1.50, b=-0.1", "a=1.5, b=-0.1")]
    [InlineData("a=\"x \\\"y\\\" \\\\ z\"", "a=\"x \\\"y\\\" \\\\ z\"")]
    [InlineData("a=tok/en:x*, b=*star", "a=tok/en:x*, b=*star")]
    [InlineData("a=:aGVsbG8=:", "a=:aGVsbG8=:")]
    [InlineData("a=:aGVsbG8:", "a=:aGVsbG8=:")] // missing padding is accepted (§4.2.7)
    [InlineData("a=::", "a=::")]
    [InlineData("*a.b_c-d=1", "*a.b_c-d=1")]
    [InlineData("a=1;*k=\"v\"", "a=1;*k=\"v\"")]
    [InlineData("", "")]
    public void ValidDictionariesRoundTrip(string input, string serialized)
    {
        Assert.True(SfParser.TryParseDictionary(input, out var dictionary));
        Assert.Equal(serialized, SfSerializer.Serialize(dictionary));

        // The serialized form parses to itself.
        Assert.True(SfParser.TryParseDictionary(serialized, out var again));
        Assert.Equal(serialized, SfSerializer.Serialize(again));
    }

    [Fact]
    public void DuplicateDictionaryKeysKeepTheFirstPositionAndTheLastValue()
    {
        Assert.True(SfParser.TryParseDictionary("a=1, b=2, a=3", out var dictionary));

        Assert.True(dictionary.HadDuplicateKeys);
        Assert.Equal("a=3, b=2", SfSerializer.Serialize(dictionary));
    }

    [Fact]
    public void DuplicateParametersKeepTheLastValue()
    {
        Assert.True(SfParser.TryParseItem("1;a=1;b;a=2", out var item));
        Assert.True(item.Parameters.HadDuplicateKeys);
        Assert.Equal("1;a=2;b", SfSerializer.Serialize(item));
    }

    [Theory]
    [InlineData("1, 2, (a b);q=1", "1, 2, (a b);q=1")]
    [InlineData("\"a\",\"b\"", "\"a\", \"b\"")]
    [InlineData("?0", "?0")]
    [InlineData("", "")]
    public void ValidListsRoundTrip(string input, string serialized)
    {
        Assert.True(SfParser.TryParseList(input, out var list));
        Assert.Equal(serialized, SfSerializer.Serialize(list));
    }

    [Theory]
    [InlineData("42", "Integer")]
    [InlineData("-0", "Integer")]
    [InlineData("4.5", "Decimal")]
    [InlineData("\"s\"", "String")]
    [InlineData("t", "Token")]
    [InlineData(":AQID:", "ByteSequence")]
    [InlineData("?1", "Boolean")]
    public void ItemsHaveTheirType(string input, string kind)
    {
        Assert.True(SfParser.TryParseItem(input, out var item));
        Assert.Equal(kind, item.Value.Kind.ToString());
    }

    [Theory]
    [InlineData("a=1,")] // trailing comma
    [InlineData(",a=1")]
    [InlineData("a=1,,b=2")]
    [InlineData("A=1")] // uppercase key
    [InlineData("aB=1")]
    [InlineData("1a=1")] // key must start with a letter or *
    [InlineData("=1")] // empty key
    [InlineData("a=")] // missing value
    [InlineData("a=1 b=2")] // missing comma
    [InlineData("\ta=1")] // leading HTAB (only SP is discarded at the start)
    [InlineData("a=\"unterminated")]
    [InlineData("a=\"bad \\n escape\"")]
    [InlineData("a=\"bad \\")]
    [InlineData("a=\"tab\there\"")]
    [InlineData("a=\"caf\u00e9\"")] // non-ASCII in a string
    [InlineData("\u00e9=1")] // non-ASCII key
    [InlineData("a=tok\u00e9n")] // non-ASCII after a token
    [InlineData("a=1000000000000000")] // 16-digit integer
    [InlineData("a=-1000000000000000")]
    [InlineData("a=1234567890123.1")] // 13 integer digits in a decimal
    [InlineData("a=1.1234")] // 4 fraction digits
    [InlineData("a=1.")] // decimal point last
    [InlineData("a=1..2")]
    [InlineData("a=-")]
    [InlineData("a=-a")]
    [InlineData("a=:aGVsbG8")] // unterminated byte sequence
    [InlineData("a=:aGV$bG8=:")] // not base64
    [InlineData("a=:aGVsbG8==:")] // too much padding
    [InlineData("a=:aG=VsbG8:")] // padding inside
    [InlineData("a=:a:")] // impossible length
    [InlineData("a=?2")]
    [InlineData("a=?")]
    [InlineData("a=(1 2")] // unterminated inner list
    [InlineData("a=(1,2)")]
    [InlineData("a=((1))")] // nested inner list
    [InlineData("a=(1)(2)")]
    [InlineData("a=1;")] // parameter without key
    [InlineData("a=1;K=1")]
    [InlineData("a=1;k=(1)")] // parameter value must be a bare item
    [InlineData("a=@1")] // RFC 9651 date is not RFC 8941
    [InlineData("a=%\"x\"")] // nor is a display string
    [InlineData("a=1;k=\"x\"x")]
    public void InvalidDictionariesFail(string input) => Assert.False(SfParser.TryParseDictionary(input, out _));

    [Theory]
    [InlineData("")] // an item cannot be empty
    [InlineData("1, 2")]
    [InlineData("(1)")] // an inner list is not an item
    [InlineData("1 2")]
    [InlineData("1\t")] // after an item only SP is discarded
    [InlineData("\t1")]
    public void InvalidItemsFail(string input) => Assert.False(SfParser.TryParseItem(input, out _));

    [Theory]
    [InlineData("1,")]
    [InlineData("(1 2) (3)")]
    [InlineData("a=1")]
    public void InvalidListsFail(string input) => Assert.False(SfParser.TryParseList(input, out _));

    [Fact]
    public void IntegersAtTheLimitsParse()
    {
        Assert.True(SfParser.TryParseItem("999999999999999", out var max));
        Assert.Equal(999_999_999_999_999, max.Value.Integer);
        Assert.True(SfParser.TryParseItem("-999999999999999", out var min));
        Assert.Equal(-999_999_999_999_999, min.Value.Integer);
    }

    [Fact]
    public void StringEscapesAreDecoded()
    {
        Assert.True(SfParser.TryParseItem("\"a\\\"b\\\\c\"", out var item));
        Assert.Equal("a\"b\\c", item.Value.String);
    }

    [Fact]
    public void ByteSequencesDecode()
    {
        Assert.True(SfParser.TryParseItem(":cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:", out var item));
        Assert.Equal("pretend this is binary content."u8.ToArray(), item.Value.Bytes);
    }

    [Fact]
    public void DecimalsRoundToThreeDigitsWhenSerialized() =>
        Assert.Equal("1.0", SfSerializer.Serialize(SfBareItem.FromDecimal(1.0004m)));

    [Fact]
    public void SerializingWhatCannotBeSerializedThrows()
    {
        Assert.Throws<ArgumentException>(() => SfSerializer.Serialize(SfBareItem.FromInteger(1_000_000_000_000_000)));
        Assert.Throws<ArgumentException>(() => SfSerializer.Serialize(SfBareItem.FromString("line\nbreak")));
        Assert.Throws<ArgumentException>(() => SfSerializer.Serialize(SfBareItem.FromToken("1token")));
    }

    [Fact]
    public void RandomValuesRoundTrip()
    {
        var random = new Random(8941);
        for (var i = 0; i < 2000; i++)
        {
            var entries = new List<KeyValuePair<string, SfMember>>();
            var count = random.Next(1, 5);
            for (var j = 0; j < count; j++)
            {
                var key = "k" + j;
                entries.Add(new(key, random.Next(4) == 0
                    ? SfMember.FromInnerList([new SfItem(RandomBareItem(random), RandomParameters(random))], RandomParameters(random))
                    : SfMember.FromItem(new SfItem(RandomBareItem(random), RandomParameters(random)))));
            }

            var serialized = SfSerializer.Serialize(new SfDictionary(entries, false));
            Assert.True(SfParser.TryParseDictionary(serialized, out var parsed), serialized);
            Assert.Equal(serialized, SfSerializer.Serialize(parsed));
        }
    }

    private static SfParameters RandomParameters(Random random) => random.Next(3) == 0
        ? new SfParameters([new("p", RandomBareItem(random))], false)
        : SfParameters.Empty;

    private static SfBareItem RandomBareItem(Random random) => random.Next(6) switch
    {
        0 => SfBareItem.FromInteger(random.NextInt64(-999_999_999_999_999, 999_999_999_999_999)),
        1 => SfBareItem.FromDecimal(Math.Round((decimal)(random.NextDouble() * 2e6 - 1e6), 3)),
        2 => SfBareItem.FromString(new string([.. Enumerable.Range(0, random.Next(10)).Select(_ => (char)random.Next(' ', '~' + 1))])),
        3 => SfBareItem.FromToken("t" + new string([.. Enumerable.Range(0, random.Next(6)).Select(_ => "abc:/*!"[random.Next(7)])])),
        4 => SfBareItem.FromBytes([.. Enumerable.Range(0, random.Next(20)).Select(_ => (byte)random.Next(256))]),
        _ => SfBareItem.FromBoolean(random.Next(2) == 0),
    };
}
