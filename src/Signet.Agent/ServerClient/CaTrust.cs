using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

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

    /// <summary>SHA-256 of the DER, as colon-separated uppercase hex (the form <c>openssl x509 -fingerprint -sha256</c> prints).</summary>
    public static string Fingerprint(X509Certificate2 certificate) =>
        string.Join(':', SHA256.HashData(certificate.RawData).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>True when <paramref name="expected"/> names <paramref name="certificate"/>, ignoring case, colons and spaces.</summary>
    public static bool Matches(X509Certificate2 certificate, string expected)
    {
        var normalized = new string([.. expected.Where(c => c is not (':' or ' ' or '-'))]);
        var actual = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        // Fixed-time comparison is not needed for a public fingerprint, but equal length is: a prefix must not match.
        return normalized.Length == actual.Length && string.Equals(normalized, actual, StringComparison.OrdinalIgnoreCase);
    }
}
