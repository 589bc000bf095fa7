using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;

namespace Signet.Agent.ServerClient;

/// <summary>The server's CA as fetched at enrollment: its fingerprint for the administrator to confirm, and the
/// comparison with <c>--ca-fingerprint</c>.</summary>
internal static class CaTrust
{
    /// <summary>The certificates of a PEM bundle; empty when it holds none.</summary>
    public static X509Certificate2Collection ParseBundle(string pem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            certificates.Clear();
        }

        return certificates;
    }

    /// <summary>The fingerprint people compare (<see cref="CertificateFingerprints"/>): colon-separated uppercase hex SHA-256.</summary>
    public static string Fingerprint(X509Certificate2 certificate) => CertificateFingerprints.Sha256(certificate.RawData);

    /// <summary>True when <paramref name="expected"/> names <paramref name="certificate"/>, with or without colons, any case.</summary>
    public static bool Matches(X509Certificate2 certificate, string expected) => CertificateFingerprints.Matches(certificate.RawData, expected);
}
