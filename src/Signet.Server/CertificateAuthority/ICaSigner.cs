using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>The CA's signing key. Everything the CA signs goes through <see cref="SignatureGenerator"/>, so a
/// PKCS#11 (HSM) implementation can replace the software key without touching issuance or the CRL.</summary>
internal interface ICaSigner
{
    /// <summary>The CA certificate (public part only).</summary>
    X509Certificate2 Certificate { get; }

    HashAlgorithmName HashAlgorithm { get; }

    X509SignatureGenerator SignatureGenerator { get; }

    /// <summary>Where the key is, for the operator (banner, <c>ca init</c>); never key material.</summary>
    string KeyLocation { get; }
}
