namespace Signet.Protocol.StructuredFields;

/// <summary>The six RFC 8941 bare item types.</summary>
internal enum SfKind
{
    Integer,
    Decimal,
    String,
    Token,
    ByteSequence,
    Boolean,
}

/// <summary>An RFC 8941 bare item. One small struct rather than a class hierarchy keeps parsing allocation-light.</summary>
internal readonly struct SfBareItem : IEquatable<SfBareItem>
{
    private readonly long _integer;
    private readonly decimal _decimal;
    private readonly string? _text;
    private readonly byte[]? _bytes;

    private SfBareItem(SfKind kind, long integer, decimal @decimal, string? text, byte[]? bytes)
    {
        Kind = kind;
        _integer = integer;
        _decimal = @decimal;
        _text = text;
        _bytes = bytes;
    }

    public SfKind Kind { get; }

    public long Integer => Kind == SfKind.Integer ? _integer : throw new InvalidOperationException("Not an integer.");
    public decimal Decimal => Kind == SfKind.Decimal ? _decimal : throw new InvalidOperationException("Not a decimal.");
    public string String => Kind == SfKind.String ? _text! : throw new InvalidOperationException("Not a string.");
    public string Token => Kind == SfKind.Token ? _text! : throw new InvalidOperationException("Not a token.");
    public byte[] Bytes => Kind == SfKind.ByteSequence ? _bytes! : throw new InvalidOperationException("Not a byte sequence.");
    public bool Boolean => Kind == SfKind.Boolean ? _integer != 0 : throw new InvalidOperationException("Not a boolean.");

    public bool IsString => Kind == SfKind.String;
    public bool IsInteger => Kind == SfKind.Integer;

    public static SfBareItem FromInteger(long value) => new(SfKind.Integer, value, 0, null, null);
    public static SfBareItem FromDecimal(decimal value) => new(SfKind.Decimal, 0, value, null, null);
    public static SfBareItem FromString(string value) => new(SfKind.String, 0, 0, value, null);
    public static SfBareItem FromToken(string value) => new(SfKind.Token, 0, 0, value, null);
    public static SfBareItem FromBytes(byte[] value) => new(SfKind.ByteSequence, 0, 0, null, value);
    public static SfBareItem FromBoolean(bool value) => new(SfKind.Boolean, value ? 1 : 0, 0, null, null);

    public bool Equals(SfBareItem other) => Kind == other.Kind && Kind switch
    {
        SfKind.Integer or SfKind.Boolean => _integer == other._integer,
        SfKind.Decimal => _decimal == other._decimal,
        SfKind.String or SfKind.Token => string.Equals(_text, other._text, StringComparison.Ordinal),
        SfKind.ByteSequence => _bytes.AsSpan().SequenceEqual(other._bytes),
        _ => false,
    };

    public override bool Equals(object? obj) => obj is SfBareItem other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _integer, _decimal, _text);

    public override string ToString() => SfSerializer.Serialize(this);
}

/// <summary>Ordered parameters (RFC 8941 §3.1.2). Keys are unique; a repeated key overwrote the earlier value
/// in place, as §4.2.3.2 says, and <see cref="HadDuplicateKeys"/> records that it happened.</summary>
internal sealed class SfParameters
{
    public static readonly SfParameters Empty = new([], false);

    public SfParameters(List<KeyValuePair<string, SfBareItem>> entries, bool hadDuplicateKeys)
    {
        Entries = entries;
        HadDuplicateKeys = hadDuplicateKeys;
    }

    public List<KeyValuePair<string, SfBareItem>> Entries { get; }
    public bool HadDuplicateKeys { get; }
    public int Count => Entries.Count;

    public bool TryGet(string key, out SfBareItem value)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>A bare item with its parameters.</summary>
internal sealed record SfItem(SfBareItem Value, SfParameters Parameters);

/// <summary>A list or dictionary member: an item or an inner list, with parameters.</summary>
internal sealed class SfMember
{
    private SfMember(SfItem? item, List<SfItem>? innerList, SfParameters parameters)
    {
        Item = item;
        InnerList = innerList;
        Parameters = parameters;
    }

    /// <summary>The item, when this member is not an inner list.</summary>
    public SfItem? Item { get; }

    /// <summary>The inner list's items, when this member is one.</summary>
    public List<SfItem>? InnerList { get; }

    /// <summary>The member's parameters (the item's own for an item, the inner list's for an inner list).</summary>
    public SfParameters Parameters { get; }

    public bool IsInnerList => InnerList is not null;

    public static SfMember FromItem(SfItem item) => new(item, null, item.Parameters);

    public static SfMember FromInnerList(List<SfItem> items, SfParameters parameters) => new(null, items, parameters);
}

/// <summary>An ordered dictionary (RFC 8941 §3.2). A repeated key overwrote the earlier member in place
/// (§4.2.2: last value wins, first position kept); <see cref="HadDuplicateKeys"/> records that it happened so that
/// profiles which must see exactly one member can refuse it.</summary>
internal sealed class SfDictionary(List<KeyValuePair<string, SfMember>> entries, bool hadDuplicateKeys)
{
    public List<KeyValuePair<string, SfMember>> Entries { get; } = entries;
    public bool HadDuplicateKeys { get; } = hadDuplicateKeys;
    public int Count => Entries.Count;

    public bool TryGet(string key, out SfMember member)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                member = entry.Value;
                return true;
            }
        }

        member = null!;
        return false;
    }
}
