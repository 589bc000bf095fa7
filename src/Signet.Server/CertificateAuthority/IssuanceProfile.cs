using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.CertificateAuthority;

/// <summary>The one profile of every end-entity certificate the CA signs (device certificates, the server's TLS
/// certificate): not a CA, digital signature only, the one extended key usage and the alternative names given, subject
/// and authority key identifiers, valid from five minutes ago (clocks differ a little) until the lifetime ends or the CA's own
/// certificate does, whichever is first, under a 128-bit random serial (the CA's own certificate takes its serial from here too).</summary>
internal static class IssuanceProfile
{
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);

    /// <summary>When a certificate issued at <paramref name="now"/> for <paramref name="lifetime"/> ends: never after the CA.</summary>
    private static DateTimeOffset NotAfter(ICaSigner ca, DateTimeOffset now, TimeSpan lifetime)
    {
        var notAfter = now + lifetime;
        return notAfter > ca.Certificate.NotAfter ? ca.Certificate.NotAfter : notAfter;
    }

    /// <summary>Adds the profile's extensions to <paramref name="request"/> (which names the subject and key) and signs it.</summary>
    public static SignedCertificate Issue(ICaSigner ca, CertificateRequest request, Oid extendedKeyUsage, X509Extension alternativeNames,
        DateTimeOffset now, TimeSpan lifetime)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([extendedKeyUsage], false));
        request.CertificateExtensions.Add(alternativeNames);
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false));
        var serial = NewSerialNumber();
        var notBefore = CertificateDer.Truncate(now - Backdate);
        var notAfter = CertificateDer.Truncate(NotAfter(ca, now, lifetime));
        var der = CertificateDer.Sign(ca.Certificate.SubjectName, ca.SignatureGenerator, request.HashAlgorithm, serial, notBefore, notAfter,
            request.SubjectName, request.PublicKey, request.CertificateExtensions);
        return new SignedCertificate(der, Convert.ToHexString(serial), notBefore, notAfter);
    }

    /// <summary>128 random bits, positive, with a non-zero first byte so the DER INTEGER stays minimal.</summary>
    internal static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }
}

/// <summary>A certificate the CA just signed: its DER and the fields the store keeps, as written into it.</summary>
internal sealed record SignedCertificate(byte[] Der, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter);
