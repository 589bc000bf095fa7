using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>A certificate just issued, with what the store and the key cache need.</summary>
internal sealed record IssuedDeviceCertificate(X509Certificate2 Certificate, string SerialNumber, string Thumbprint)
{
    public string ToPem() => Certificate.ExportCertificatePem();
}
