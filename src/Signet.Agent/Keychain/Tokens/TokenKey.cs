using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Net.Pkcs11Interop.HighLevelAPI.MechanismParams;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>A private key object on a token, used only through the token's sign operation.</summary>
internal sealed class TokenKey(TokenConnection connection, IObjectHandle privateKey, TokenKeyReference reference, bool extractable, bool sensitive)
{
    public TokenConnection Connection { get; } = connection;
    public TokenKeyReference Reference { get; } = reference;

    /// <summary>CKA_EXTRACTABLE as the token reports it.</summary>
    public bool Extractable { get; } = extractable;

    /// <summary>CKA_SENSITIVE as the token reports it.</summary>
    public bool Sensitive { get; } = sensitive;

    public byte[] Sign(CKM mechanism, byte[] data, IMechanismParams? parameters = null)
    {
        var factory = TokenConnection.Factories.MechanismFactory;
        using var signing = parameters is null ? factory.Create(mechanism) : factory.Create(mechanism, parameters);
        lock (Connection.Sync)
        {
            try
            {
                return Connection.Session.Sign(signing, privateKey, data);
            }
            catch (Pkcs11Exception e)
            {
                throw TokenErrors.Translate(e, Connection.Description, $"signing with {mechanism}");
            }
        }
    }
}
