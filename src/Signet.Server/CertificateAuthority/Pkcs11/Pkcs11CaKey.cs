using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;

namespace Signet.Server.CertificateAuthority.Pkcs11;

/// <summary>A CA key that stays in a PKCS#11 token: certificates and CRLs are built by .NET and only their signature is
/// made by the token. Signing is serialised on one session; the CA signs only at enrollment, renewal, TLS issuance and
/// CRL time, never for a device's signed request.</summary>
internal sealed class Pkcs11CaKey : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Pkcs11Token _token;
    private readonly string _keyLabel;
    private readonly byte[] _subjectPublicKeyInfo;
    private TokenKeyPair _key;
    private long _signatures;

    /// <summary>Takes ownership of <paramref name="token"/>.</summary>
    public Pkcs11CaKey(Pkcs11Token token, TokenKeyPair key, string keyLabel)
    {
        _token = token;
        _key = key;
        _keyLabel = keyLabel;
        _subjectPublicKeyInfo = key.PublicKey.ExportSubjectPublicKeyInfo();
        // .NET's generator for the public key gives the algorithm identifier and the SubjectPublicKeyInfo; the token signs.
        var (publicGenerator, hash) = SoftwareCaSigner.Profile(key.PublicKey);
        HashAlgorithm = hash;
        SignatureGenerator = new TokenSignatureGenerator(this, publicGenerator);
    }

    public HashAlgorithmName HashAlgorithm { get; }

    /// <summary>Token and key label, as the operator configured them.</summary>
    public string Location => $"pkcs11 token '{_token.Label}', key '{_keyLabel}' (not extractable)";
    public X509SignatureGenerator SignatureGenerator { get; }

    /// <summary>How many signatures the token made for this process.</summary>
    public long Signatures => Interlocked.Read(ref _signatures);

    private byte[] Sign(byte[] data, HashAlgorithmName hash)
    {
        lock (_gate)
        {
            try
            {
                return SignOnce(data, hash);
            }
            catch (Pkcs11Exception e) when (IsLostSession(e.RV))
            {
                // The token was reset, reinserted or its session timed out: log in again once, find the key again.
                try
                {
                    _token.Reconnect();
                    _key = _token.FindKeyPairs(_keyLabel).FirstOrDefault(k => k.Matches(_subjectPublicKeyInfo))
                        ?? throw new CaKeyUnavailableException($"The CA key '{_keyLabel}' is no longer in the token '{_token.Label}'.");
                    return SignOnce(data, hash);
                }
                catch (Exception again) when (again is Pkcs11Exception or Hosting.StartRefusedException)
                {
                    throw new CaKeyUnavailableException($"The token '{_token.Label}' holding the CA key cannot sign ({again.Message}).", again);
                }
            }
            catch (Pkcs11Exception e)
            {
                throw new CaKeyUnavailableException($"The token '{_token.Label}' holding the CA key refused to sign ({e.RV}).", e);
            }
        }
    }

    private byte[] SignOnce(byte[] data, HashAlgorithmName hash)
    {
        var signature = _token.Sign(_key.PrivateKey, _key.IsRsa, data, hash);
        Interlocked.Increment(ref _signatures);
        return signature;
    }

    private static bool IsLostSession(CKR rv) => rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_USER_NOT_LOGGED_IN
        or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_KEY_HANDLE_INVALID
        or CKR.CKR_CRYPTOKI_NOT_INITIALIZED;

    public void Dispose()
    {
        lock (_gate)
        {
            _token.Dispose();
        }
    }

    private sealed class TokenSignatureGenerator(Pkcs11CaKey signer, X509SignatureGenerator publicGenerator) : X509SignatureGenerator
    {
        public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
            publicGenerator.GetSignatureAlgorithmIdentifier(hashAlgorithm);

        public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => signer.Sign(data, hashAlgorithm);

        protected override PublicKey BuildPublicKey() => publicGenerator.PublicKey;
    }
}
