using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Server.CertificateAuthority;

/// <summary>A certificate just issued, with what the store and the key cache need.</summary>
internal sealed record IssuedDeviceCertificate(X509Certificate2 Certificate, string SerialNumber, string Thumbprint)
{
    public string ToPem() => Certificate.ExportCertificatePem();
}

/// <summary>Makes device certificates: CN=&lt;udid&gt;, SAN urn:signet:computer:&lt;id&gt;, clientAuth only.</summary>
internal sealed class DeviceCertificateIssuer(ICaSigner ca)
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public IssuedDeviceCertificate Issue(PublicKey publicKey, string udid, string computerId, DateTimeOffset now, TimeSpan lifetime)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(udid);
        var request = new CertificateRequest(subject.Build(), publicKey, ca.HashAlgorithm);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("urn:signet:computer:" + computerId));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));

        var serial = NewSerialNumber();
        var notAfter = now + lifetime;
        if (notAfter > ca.Certificate.NotAfter)
        {
            notAfter = ca.Certificate.NotAfter;
        }

        var certificate = request.Create(ca.Certificate.SubjectName, ca.SignatureGenerator, now.AddMinutes(-5), notAfter, serial);
        return new IssuedDeviceCertificate(certificate, Convert.ToHexString(serial), KeyIds.FromCertificate(certificate.RawData));
    }

    /// <summary>128 random bits, positive, with a non-zero first byte so the DER INTEGER stays minimal.</summary>
    internal static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}
