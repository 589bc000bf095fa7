using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Server.CertificateAuthority;

/// <summary>The CA fingerprint administrators compare and agents pin (<c>signet enroll --ca-fingerprint</c>), in the
/// project's one format (<see cref="CertificateFingerprints"/>). One definition for the banner and the console.</summary>
internal static class CaFingerprint
{
    public static string Sha256Hex(X509Certificate2 certificate) => CertificateFingerprints.Sha256(certificate.RawData);
}
