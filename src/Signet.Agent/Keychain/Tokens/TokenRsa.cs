using System.Formats.Asn1;
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
        var (mechanism, mgf, oid) = Describe(hashAlgorithm);
        if (padding == RSASignaturePadding.Pss)
        {
            // .NET's PSS uses a salt as long as the hash (64 bytes for SHA-512, as RFC 9421 asks) and MGF1 with the same hash.
            var parameters = TokenConnection.Factories.MechanismParamsFactory.CreateCkRsaPkcsPssParams(
                ConvertUtils.UInt64FromCKM(mechanism), ConvertUtils.UInt64FromCKG(mgf), (ulong)hash.Length);
            return _key.Sign(CKM.CKM_RSA_PKCS_PSS, hash, parameters);
        }

        if (padding == RSASignaturePadding.Pkcs1)
        {
            return _key.Sign(CKM.CKM_RSA_PKCS, DigestInfo(oid, hash));
        }

        throw new CryptographicException($"Padding {padding} is not supported by a token-held key.");
    }

    public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        using var verifier = Create(_public);
        return verifier.VerifyHash(hash, signature, hashAlgorithm, padding);
    }

    private static (CKM Hash, CKG Mgf, string Oid) Describe(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => (CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256, "2.16.840.1.101.3.4.2.1"),
        "SHA384" => (CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384, "2.16.840.1.101.3.4.2.2"),
        "SHA512" => (CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512, "2.16.840.1.101.3.4.2.3"),
        _ => throw new CryptographicException($"Hash {hash.Name} is not supported by a token-held key."),
    };

    // CKM_RSA_PKCS signs what it is given: PKCS#1 v1.5 wants the DigestInfo (RFC 8017 §9.2), not the bare hash.
    private static byte[] DigestInfo(string oid, byte[] hash)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(oid);
                writer.WriteNull();
            }

            writer.WriteOctetString(hash);
        }

        return writer.Encode();
    }
}
