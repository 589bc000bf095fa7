using Signet.Protocol;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Is the certificate behind a verified signature usable now?</summary>
internal static class CertificateStatusCheck
{
    public static ProblemCode? Check(DeviceKeyEntry entry, DateTimeOffset now)
    {
        if (now < entry.NotBefore || now > entry.NotAfter)
        {
            return ProblemCode.CertificateExpired;
        }

        return entry.Status switch
        {
            // A renewed certificate signs before its first use has been recorded; that use makes it current.
            CertificateStatus.Current or CertificateStatus.Pending => null,
            // Renewal leaves the old key usable for a grace period so an agent that crashed mid-swap can recover;
            // re-enrollment supersedes with no grace at all.
            CertificateStatus.Superseded when entry.GraceUntil is { } grace && now <= grace => null,
            _ => ProblemCode.CertificateRevoked,
        };
    }
}
