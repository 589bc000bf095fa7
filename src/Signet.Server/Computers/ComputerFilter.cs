
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
