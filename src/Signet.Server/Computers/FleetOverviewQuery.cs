using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;
using Signet.Server.Enrollment;

namespace Signet.Server.Computers;

/// <summary>Reads the fleet's state for the overview: what needs an administrator, each count a link to the computers
/// (or events) behind it.</summary>
internal sealed class FleetOverviewQuery(ComputerQueries computers, SignetDbContext db, EnrollmentRequestQueries requests, TimeProvider time)
{
    public async Task<FleetOverview> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var fleet = await computers.FleetAsync(null, cancellationToken);
        var since = now.AddDays(-1);
        var refusals = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == AuditActions.RequestsRefused && e.At >= since)
            .Select(e => e.Details)
            .ToListAsync(cancellationToken);
        var byCode = refusals.Select(AuditChanges.Parse)
            .Select(fields => (Code: Value(fields, "code"), Count: int.TryParse(Value(fields, "count"), out var n) ? n : 1))
            .Where(r => r.Code is not null)
            .GroupBy(r => r.Code!, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(r => r.Count)))
            .OrderByDescending(g => g.Item2).ToList();
        return new FleetOverview(
            fleet.Count,
            [.. fleet.GroupBy(m => m.Status, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))
                .OrderBy(g => g.Key == DeviceAuthentication.DeviceSignatureHandler.ValidOutcome ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal)],
            byCode,
            [.. FleetOverview.NotSeenDays.Select(d => (d, fleet.Count(m => m.NotSeenSince(now.AddDays(-d)))))],
            fleet.Count(m => m.ExpiresBefore(now.AddDays(FleetOverview.ExpiryWindowDays))),
            fleet.Count(m => m.RenewalFailing(now)),
            await requests.CountPendingAsync(cancellationToken),
            [.. fleet.Where(m => m.IsLockedOut).OrderByDescending(m => m.Computer.LastSignatureAt)
                .Select(m => ComputerQueries.ToDto(m.Computer, m.Certificate))]);
    }

    private static string? Value(IReadOnlyList<AuditField> fields, string name) =>
        fields.FirstOrDefault(f => f.Name == name)?.New;
}
