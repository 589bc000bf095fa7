using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority.Pkcs11;

/// <summary>The CA: its certificate, and its key in a PKCS#11 token.</summary>
internal sealed class Pkcs11CaSigner(X509Certificate2 certificate, Pkcs11CaKey key) : ICaSigner, IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;
    public HashAlgorithmName HashAlgorithm => key.HashAlgorithm;
    public X509SignatureGenerator SignatureGenerator => key.SignatureGenerator;
    public string KeyLocation => key.Location;

    /// <summary>How many signatures the token made for this process.</summary>
    public long Signatures => key.Signatures;

    public void Dispose()
    {
        key.Dispose();
        Certificate.Dispose();
    }
}
