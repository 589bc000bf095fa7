using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary>Reading and describing the device certificates the server returns.</summary>
internal static class Certificates
{
    public static X509Certificate2 Parse(string? pem, Uri server)
    {
        try
        {
            return X509Certificate2.CreateFromPem(pem ?? "");
        }
        catch (CryptographicException)
        {
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {server} returned a certificate this agent cannot read; nothing was stored. Check that the agent and server versions match.");
        }
    }

    public static object Describe(X509Certificate2 certificate) => new
    {
        subject = certificate.Subject,
        serialNumber = certificate.SerialNumber,
        notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()),
        notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()),
        keyId = Protocol.Device.KeyIds.FromCertificate(certificate.RawData),
    };

    /// <summary>True once two-thirds of the certificate's lifetime have passed: renew early, well before it expires.</summary>
    public static bool IsDueForRenewal(X509Certificate2 certificate, DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
        return Protocol.Device.CertificateRenewal.IsDue(notBefore, notAfter, now);
    }
}
