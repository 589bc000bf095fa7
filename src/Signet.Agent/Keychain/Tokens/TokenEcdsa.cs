using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>An ECDSA key whose private half stays on a token. CKM_ECDSA returns r‖s, which is what RFC 9421 wants and
/// what .NET expects of <see cref="SignHash(byte[])"/> (it DER-encodes it itself for X.509 and CSRs).</summary>
internal sealed class TokenEcdsa : ECDsa
{
    private readonly TokenKey _key;
    private readonly ECParameters _public;

    public TokenEcdsa(TokenKey key, ECParameters publicParameters)
    {
        _key = key;
        _public = publicParameters;
        KeySizeValue = publicParameters.Q.X!.Length * 8;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public TokenKey Key => _key;

    public override byte[] SignHash(byte[] hash) => _key.Sign(CKM.CKM_ECDSA, hash);

    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        using var verifier = Create(_public);
        return verifier.VerifyHash(hash, signature);
    }

    public override ECParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new CryptographicException($"The private key is held by {_key.Connection.Description} and cannot be exported.")
        : new ECParameters { Curve = _public.Curve, Q = new ECPoint { X = (byte[])_public.Q.X!.Clone(), Y = (byte[])_public.Q.Y!.Clone() } };

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters) =>
        throw new NotSupportedException("Token-held keys use named curves only.");

    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException("A token-held key cannot be replaced by imported parameters.");

    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException("Token-held keys are generated on the token.");
}
