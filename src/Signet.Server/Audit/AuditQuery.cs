using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.Audit;

/// <summary>What to look for in the audit log; every part optional. Action and actor match as substrings; subject
/// (a computer id, invitation id, user name) exactly; code is a refusal's problem code.</summary>
internal sealed record AuditFilter(string? Action = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    string? Subject = null, string? Code = null);

/// <summary>One page of audit events (newest first) and how many match in all.</summary>
internal sealed record AuditPage(IReadOnlyList<AuditEventDto> Items, int Total);

/// <summary>Reads the audit log, newest first.</summary>
internal sealed class AuditQuery(SignetDbContext db, IEnumerable<IBufferedWrites> buffered)
{
    public async Task<AuditPage> SearchAsync(AuditFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        // Refusal summaries are written in batches: flush so the log is current when read.
        await IBufferedWrites.FlushAllAsync(buffered, cancellationToken);
        var query = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(e => e.Action.Contains(action));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            query = query.Where(e => e.Actor.Contains(actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Subject))
        {
            var subject = filter.Subject.Trim();
            query = query.Where(e => e.Subject == subject);
        }

        if (!string.IsNullOrWhiteSpace(filter.Code))
        {
            var code = "code=" + filter.Code.Trim() + ";";
            query = query.Where(e => e.Details != null && e.Details.Contains(code));
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At < to);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 5000))
            .Select(e => new AuditEventDto(e.Id, e.At, e.Actor, e.Action, e.Subject, e.Details))
            .ToListAsync(cancellationToken);
        return new AuditPage(items, total);
    }

    /// <summary>The distinct action names, for the filter's choices.</summary>
    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken) =>
        await db.AuditEvents.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
}
