
namespace Signet.Server.CertificateAuthority;

internal enum CertificateStatus
{
    Current = 0,
    Superseded = 1,
    Revoked = 2,

    /// <summary>Issued by a renewal and not used yet: the current certificate stays current until a valid signature
    /// with this one arrives (docs/lifecycle.md).</summary>
    Pending = 3,
}

/// <summary>Certificate status names used in API bodies, the console and problem details.</summary>
internal static class CertificateStatusNames
{
    public static string ToName(this CertificateStatus status) => status switch
    {
        CertificateStatus.Current => "current",
        CertificateStatus.Pending => "pending",
        CertificateStatus.Superseded => "superseded",
        _ => "revoked",
    };
}
