using Signet.Protocol.Device;

namespace Signet.Server.Computers;

/// <summary>What the computers list shows: every part optional. <see cref="Status"/> is a last signature outcome
/// (<c>valid</c>, a problem slug, or <c>never-signed</c>); <see cref="Attention"/> names one of the overview's groups.</summary>
internal sealed record ComputerFilter(
    string? Search = null,
    string? Status = null,
    int? NotSeenDays = null,
    string? Os = null,
    int? ExpiringDays = null,
    string? Attention = null,
    string? Sort = null)
{
    public const string NeverSigned = "never-signed";

    /// <summary><see cref="Attention"/>: signed valid before, refused (or would be) now.</summary>
    public const string LockedOut = "locked-out";

    /// <summary><see cref="Attention"/>: told to renew for over a day and still using the old certificate.</summary>
    public const string RenewalFailing = "renewal-failing";

    /// <summary>The sort keys the list accepts; a leading <c>-</c> reverses.</summary>
    public static readonly IReadOnlyList<string> SortKeys = ["status", "name", "os", "last-contact", "expiry"];
}

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
