using Signet.Protocol.Device;

namespace Signet.Server.Computers;

/// <summary>A computer with the facts the list, its filters and the overview need.</summary>
internal sealed record FleetMember(Computer Computer, CertificateDto? Certificate)
{
    /// <summary>The outcome as a filter value: never-signed when none was recorded.</summary>
    public string Status => Computer.LastSignatureOutcome ?? ComputerFilter.NeverSigned;

    public bool IsValid => Computer.LastSignatureOutcome == DeviceAuthentication.DeviceSignatureHandler.ValidOutcome;

    /// <summary>Signed valid at some point, and its last outcome is something else.</summary>
    public bool IsLockedOut => Computer.LastValidSignatureAt is not null && Computer.LastSignatureOutcome is not null && !IsValid;

    /// <summary>Last contact, else enrollment, older than <paramref name="cutoff"/>.</summary>
    public bool NotSeenSince(DateTimeOffset cutoff) => (Computer.LastContactAt ?? Computer.EnrolledAt) < cutoff;

    public bool ExpiresBefore(DateTimeOffset limit) => Certificate is { Status: "current" } c && c.NotAfter < limit;

    /// <summary>The check-in has answered <c>renew</c> (a third of the lifetime left) for over a day of contacts, and the
    /// computer still signs with its old certificate.</summary>
    public bool RenewalFailing(DateTimeOffset now)
    {
        if (Certificate is not { Status: "current" } c || Computer.LastContactAt is not { } contact)
        {
            return false;
        }

        var due = CertificateRenewal.DueAt(c.NotBefore, c.NotAfter);
        return due < now && contact > due.AddDays(1);
    }
}
