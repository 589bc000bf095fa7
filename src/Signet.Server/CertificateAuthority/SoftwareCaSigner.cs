using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>A CA key held in memory, decrypted from the database at start.</summary>
internal sealed class SoftwareCaSigner : ICaSigner, IDisposable
{
    private readonly AsymmetricAlgorithm _key;

    public SoftwareCaSigner(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        Certificate = certificate;
        _key = key;
        (SignatureGenerator, HashAlgorithm) = Profile(key);
    }

    /// <summary>How the CA signs with this key: PKCS#1 v1.5 with SHA-256 for RSA, ECDSA with the curve's hash. Given a
    /// public-only key, the generator still supplies the algorithm identifier and the public key (a token signs).</summary>
    public static (X509SignatureGenerator Generator, HashAlgorithmName Hash) Profile(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => (X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256),
        ECDsa ec when ec.KeySize > 256 => (X509SignatureGenerator.CreateForECDsa(ec), HashAlgorithmName.SHA384),
        ECDsa ec => (X509SignatureGenerator.CreateForECDsa(ec), HashAlgorithmName.SHA256),
        _ => throw new NotSupportedException("The CA key must be RSA or ECDSA."),
    };

    public X509Certificate2 Certificate { get; }
    public HashAlgorithmName HashAlgorithm { get; }
    public X509SignatureGenerator SignatureGenerator { get; }
    public string KeyLocation => "database (encrypted under the master key)";

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
