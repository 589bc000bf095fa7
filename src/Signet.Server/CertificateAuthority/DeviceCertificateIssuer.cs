using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Server.CertificateAuthority;

/// <summary>Makes device certificates: CN=&lt;udid&gt;, SAN urn:signet:computer:&lt;id&gt;, clientAuth only.</summary>
internal sealed class DeviceCertificateIssuer(ICaSigner ca)
{
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    public IssuedDeviceCertificate Issue(PublicKey publicKey, string udid, string computerId, DateTimeOffset now, TimeSpan lifetime)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(udid);
        var request = new CertificateRequest(subject.Build(), publicKey, ca.HashAlgorithm);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("urn:signet:computer:" + computerId));
        var certificate = IssuanceProfile.Issue(ca, request, ClientAuth, san.Build(), now, lifetime);
        return new IssuedDeviceCertificate(certificate, request.SubjectName.Name, KeyIds.FromCertificate(certificate.Der));
    }
}
