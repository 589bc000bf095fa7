
namespace Signet.Server.Computers;

/// <summary>The overview's counts; each names the filter of the list it links to.</summary>
internal sealed record FleetOverview(
    int Enrolled,
    IReadOnlyList<(string Outcome, int Count)> ByOutcome,
    IReadOnlyList<(string Code, int Count)> RefusedLast24Hours,
    IReadOnlyList<(int Days, int Count)> NotSeen,
    int ExpiringWithin30Days,
    int RenewalsFailing,
    int HeldEnrollmentRequests,
    IReadOnlyList<ComputerDto> LockedOut)
{
    public static readonly int[] NotSeenDays = [1, 7, 30];
    public const int ExpiryWindowDays = 30;
}
