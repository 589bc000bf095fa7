using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;
using Microsoft.AspNetCore.Mvc;
using Signet.Server.Problems;

namespace Signet.Server.Audit;

internal sealed record AuditEventDto(long Id, DateTimeOffset At, string Actor, string Action, string? Subject, string? Details);

internal static class AuditEndpoints
{
    public static RouteGroupBuilder MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", async Task<IResult> (string? after, int? take, SignetDbContext db, [FromServices] IEnumerable<IBufferedWrites> buffered,
            CancellationToken cancellationToken) =>
        {
            DateTimeOffset? since = null;
            if (!string.IsNullOrEmpty(after))
            {
                if (!DateTimeOffset.TryParse(after, System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return ProblemResults.Validation("after", "Must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z.");
                }

                since = parsed.ToUniversalTime();
            }

            // Refusal summaries are written in batches: flush so the log is current when read.
            await IBufferedWrites.FlushAllAsync(buffered, cancellationToken);
            var query = db.AuditEvents.AsNoTracking();
            if (since is { } s)
            {
                query = query.Where(e => e.At > s);
            }

            var events = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
                .Take(Math.Clamp(take ?? 500, 1, 5000))
                .Select(e => new AuditEventDto(e.Id, e.At, e.Actor, e.Action, e.Subject, e.Details))
                .ToListAsync(cancellationToken);
            return TypedResults.Ok(events);
        }).WithName("GetAudit").WithSummary("The audit log, newest first; after= an ISO-8601 instant");
        return api;
    }
}
