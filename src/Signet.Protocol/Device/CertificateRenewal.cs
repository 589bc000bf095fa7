namespace Signet.Protocol.Device;

/// <summary>When a device certificate is due for renewal: once two-thirds of its lifetime have passed, so a third is
/// left to retry in (the server's check-in answers <c>renew</c> from then on, and the agent renews on its own).</summary>
public static class CertificateRenewal
{
    /// <summary>The moment the certificate valid from <paramref name="notBefore"/> to <paramref name="notAfter"/> becomes due.</summary>
    public static DateTimeOffset DueAt(DateTimeOffset notBefore, DateTimeOffset notAfter) => notAfter - ((notAfter - notBefore) / 3);

    /// <summary>True from <see cref="DueAt"/> on.</summary>
    public static bool IsDue(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now) => now >= DueAt(notBefore, notAfter);
}
