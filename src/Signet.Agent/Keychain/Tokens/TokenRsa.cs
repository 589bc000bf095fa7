using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>An RSA key whose private half stays on a token: .NET's signers (CertificateRequest, the RFC 9421 signer)
/// hash, and the token signs the hash. The private parameters cannot be exported.</summary>
internal sealed class TokenRsa : RSA
{
    private readonly TokenKey _key;
    private readonly RSAParameters _public;

    public TokenRsa(TokenKey key, RSAParameters publicParameters)
    {
        _key = key;
        _public = publicParameters;
        KeySizeValue = publicParameters.Modulus!.Length * 8;
        LegalKeySizesValue = [new KeySizes(KeySizeValue, KeySizeValue, 0)];
    }

    public TokenKey Key => _key;

    public override RSAParameters ExportParameters(bool includePrivateParameters) => includePrivateParameters
        ? throw new CryptographicException($"The private key is held by {_key.Connection.Description} and cannot be exported.")
        : new RSAParameters { Modulus = (byte[])_public.Modulus!.Clone(), Exponent = (byte[])_public.Exponent!.Clone() };

    public override void ImportParameters(RSAParameters parameters) =>
        throw new NotSupportedException("A token-held key cannot be replaced by imported parameters.");

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(padding);
        if (padding != RSASignaturePadding.Pss)
        {
            // Device keys sign requests and CSRs with PSS (PendingDeviceKey); raw PKCS#1 v1.5 is not offered by every token.
            throw new CryptographicException($"Padding {padding} is not supported by a token-held key; use PSS.");
        }

        // .NET's PSS uses a salt as long as the hash (64 bytes for SHA-512, as RFC 9421 asks) and MGF1 with the same hash.
        var (mechanism, mgf) = Describe(hashAlgorithm);
        var parameters = TokenConnection.Factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(
            ConvertUtils.UInt64FromCKM(mechanism), ConvertUtils.UInt64FromCKG(mgf), (ulong)hash.Length);
        return _key.Sign(CKM.CKM_RSA_PKCS_PSS, hash, parameters);
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var verifier = Create(_public);
        return verifier.VerifyHash(hash, signature, hashAlgorithm, padding);
    }

    private static (CKM Hash, CKG Mgf) Describe(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => (CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256),
        "SHA384" => (CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384),
        "SHA512" => (CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512),
        _ => throw new CryptographicException($"Hash {hash.Name} is not supported by a token-held key."),
    };
}
