using System.Text;
using System.Text.Json.Serialization;
using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>What a keychain key file holds when the key lives on a PKCS#11 token: where the token is and the key's
/// CKA_ID there. No key material: a copy of the folder is a copy of this note, not of the key.</summary>
internal sealed record TokenKeyReference(string Kind, string Module, string Token, string Id, string? PinFile)
{
    /// <summary>The <see cref="Kind"/> of a token reference, also the <c>keyProtection.kind</c> declared to the server.</summary>
    public const string Pkcs11 = Protocol.Wire.KeyProtection.Pkcs11;

    [JsonIgnore]
    public TokenSettings Settings => new(Module, Token, PinFile);

    public byte[] ToJson() => KeychainJson.Write(this);

    /// <summary>The reference a key file holds; null when the file holds something else (a PEM key, say).</summary>
    public static TokenKeyReference? FromKeyFile(ReadOnlySpan<byte> content)
    {
        var text = Encoding.UTF8.GetString(content).TrimStart();
        if (!text.StartsWith('{'))
        {
            return null;
        }

        return KeychainJson.Read<TokenKeyReference>(content) is { Kind: Pkcs11, Module.Length: > 0, Token.Length: > 0, Id.Length: > 0 } reference
            ? reference
            : null;
    }
}
