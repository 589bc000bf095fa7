namespace Signet.Protocol.StructuredFields;

/// <summary>Interns the keys signatures and digests use so that parsing them allocates nothing.</summary>
internal static class KeyStrings
{
    private static readonly string[] Known =
    [
        "created", "expires", "nonce", "alg", "keyid", "tag", "sha-256", "sha-512", "sig1",
        "sf", "key", "bs", "req", "name", "tr",
    ];

    public static string Get(ReadOnlySpan<char> key) => Interning.Get(Known, key);
}

/// <summary>Interns the strings a device signature always carries: component names and algorithm names.</summary>
internal static class KnownStrings
{
    private static readonly string[] Known =
    [
        "@method", "@authority", "@path", "@query", "content-digest", "signet-device",
        "rsa-pss-sha512", "rsa-v1_5-sha256", "ecdsa-p256-sha256", "ecdsa-p384-sha384",
    ];

    public static string Get(ReadOnlySpan<char> value) => Interning.Get(Known, value);
}

internal static class Interning
{
    public static string Get(string[] known, ReadOnlySpan<char> value)
    {
        foreach (var candidate in known)
        {
            if (value.SequenceEqual(candidate))
            {
                return candidate;
            }
        }

        return value.ToString();
    }
}
