using System.Security.Cryptography;
using Signet.Agent.Keychain.Tokens;
using Signet.Protocol.Wire;

namespace Signet.Agent.Keychain;

/// <summary>Where a device key is held and whether it can be copied out, for <c>status</c> and for the
/// <c>keyProtection</c> the agent declares to the server.</summary>
internal sealed record KeyPlacement(string Kind, string? Token, string? TokenModel, string? Module, bool Exportable)
{
    public const string FileKind = KeyProtection.File;

    /// <summary>A PEM key in the keychain folder: whoever copies the folder has the key.</summary>
    public static KeyPlacement File { get; } = new(FileKind, null, null, null, Exportable: true);

    /// <summary>The placement of a key object on a token, as the token reports its attributes.</summary>
    public static KeyPlacement OnToken(TokenKey key) => new(
        TokenKeyReference.Pkcs11,
        key.Reference.Token,
        key.Connection.Model,
        key.Reference.Module,
        Exportable: key.Extractable || !key.Sensitive);

    /// <summary>Where the key of <paramref name="key"/> lives; keys the agent made in memory are files.</summary>
    public static KeyPlacement Of(AsymmetricAlgorithm key) => key switch
    {
        TokenRsa rsa => OnToken(rsa.Key),
        TokenEcdsa ec => OnToken(ec.Key),
        _ => File,
    };

    /// <summary>What the agent declares to the server (the agent's word: nothing proves it yet, docs/hardware-keys.md).</summary>
    public KeyProtection ToDeclaration() => new(Kind, TokenModel);

    /// <summary>One phrase for <c>status</c> and <c>enroll</c>.</summary>
    public string Describe() => Kind == FileKind
        ? "in the keychain folder (device.key), exportable"
        : $"on PKCS#11 token '{Token}' ({TokenModel}, module {Module}), {(Exportable ? "EXPORTABLE (the token allows reading it out)" : "not exportable")}";
}
