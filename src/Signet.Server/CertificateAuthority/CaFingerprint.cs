using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>The CA fingerprint administrators compare and agents pin (<c>signet enroll --ca-fingerprint</c>):
/// lowercase hex SHA-256 of the certificate's DER bytes. One definition for the banner and the console.</summary>
internal static class CaFingerprint
{
    public static string Sha256Hex(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
}
