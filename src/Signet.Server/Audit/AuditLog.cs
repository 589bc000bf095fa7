using Signet.Server.Data;

namespace Signet.Server.Audit;

/// <summary>Adds audit events to the request's unit of work, so they are saved (or rolled back) with the change.</summary>
internal sealed class AuditLog(SignetDbContext db, TimeProvider time)
{
    public void Record(string actor, string action, string? subject, string? details = null) =>
        db.AuditEvents.Add(Event(time.GetUtcNow(), actor, action, subject, details));

    /// <summary>An event not yet added anywhere, for a change written by someone else's unit of work.</summary>
    public static AuditEvent Event(DateTimeOffset at, string actor, string action, string? subject, string? details = null) => new()
    {
        At = at,
        Actor = Truncate(actor, 128)!,
        Action = action,
        Subject = Truncate(subject, 256),
        Details = Truncate(details, 4096),
    };

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];
}
