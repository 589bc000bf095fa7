using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.Settings;

/// <summary>The one path that reads and changes the Check-In settings (admin API, console, and the agent API's answers).
/// Read from the database on each use: a check-in reads the database anyway, and every node sees a change at once.</summary>
internal sealed class CheckInSettingsService(SignetDbContext db, IOptions<AgentOptions> configured, AuditLog audit, TimeProvider time)
{
    public async Task<CheckInSettings> GetAsync(CancellationToken cancellationToken)
    {
        var saved = await db.CheckInSettings.AsNoTracking().Select(s => (int?)s.CheckInIntervalSeconds).FirstOrDefaultAsync(cancellationToken);
        return new CheckInSettings(saved ?? configured.Value.CheckInIntervalSeconds);
    }

    public async Task<SettingsUpdate<CheckInSettings>> UpdateAsync(CheckInSettings proposed, string actor, CancellationToken cancellationToken)
    {
        var errors = proposed.Validate();
        var old = await GetAsync(cancellationToken);
        if (errors.Count > 0)
        {
            return new(SettingsUpdateStatus.Invalid, old, errors);
        }

        var record = await db.CheckInSettings.FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            record = new CheckInSettingsRecord { Id = CheckInSettingsRecord.SingletonId };
            db.CheckInSettings.Add(record);
        }

        record.CheckInIntervalSeconds = proposed.CheckInIntervalSeconds;
        record.UpdatedAt = time.GetUtcNow();
        record.Version = Guid.NewGuid();
        audit.Record(actor, AuditActions.CheckInSettingsChanged, "check-in",
            AuditChanges.Describe(("checkInIntervalSeconds", old.CheckInIntervalSeconds, proposed.CheckInIntervalSeconds)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Saved at the same time by someone else (including two first saves inserting the row).
            db.ChangeTracker.Clear();
            return new(SettingsUpdateStatus.Conflict, await GetAsync(cancellationToken), new Dictionary<string, string[]>());
        }

        return new(SettingsUpdateStatus.Applied, proposed, new Dictionary<string, string[]>());
    }
}

/// <summary>The outcome of a settings change: the settings now in force, or the errors per field.</summary>
internal sealed record SettingsUpdate<T>(SettingsUpdateStatus Status, T Settings, IReadOnlyDictionary<string, string[]> Errors);
