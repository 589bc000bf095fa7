using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>The CA fingerprint administrators compare and agents pin (<c>signet enroll --ca-fingerprint</c>):
/// SHA-256 of the certificate's DER bytes as uppercase hex pairs separated by colons (<c>5D:F5:…</c>, as
/// <c>openssl x509 -fingerprint -sha256</c> prints it; the agent accepts it with or without colons, in any case).
/// One definition for the banner and the console.</summary>
internal static class CaFingerprint
{
    public static string Sha256Hex(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
