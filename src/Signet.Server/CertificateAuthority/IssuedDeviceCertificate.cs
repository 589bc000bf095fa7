namespace Signet.Server.CertificateAuthority;

/// <summary>A device certificate just issued, with what the store and the key cache need.</summary>
internal sealed record IssuedDeviceCertificate(SignedCertificate Certificate, string Subject, string Thumbprint);
