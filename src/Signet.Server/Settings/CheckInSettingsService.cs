using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.Settings;

/// <summary>The one path that reads and changes the Check-In settings (admin API and console read the database; the
/// agent API answers from <see cref="CheckInSettingsSnapshot"/>, which a save here replaces and announces).</summary>
internal sealed class CheckInSettingsService(
    SignetDbContext db,
    IOptions<AgentOptions> configured,
    CheckInSettingsSnapshot snapshot,
    Cluster.IClusterEvents cluster,
    AuditLog audit,
    TimeProvider time)
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
            var current = await GetAsync(cancellationToken);
            snapshot.Set(current);
            return new(SettingsUpdateStatus.Conflict, current, new Dictionary<string, string[]>());
        }

        snapshot.Set(proposed);
        // After the commit: a lost announcement is caught by the other nodes' periodic re-read.
        await cluster.AnnounceAsync(db, Cluster.SettingsChanged.Instance, CancellationToken.None);
        return new(SettingsUpdateStatus.Applied, proposed, new Dictionary<string, string[]>());
    }
}

/// <summary>The outcome of a settings change: the settings now in force, or the errors per field.</summary>
internal sealed record SettingsUpdate<T>(SettingsUpdateStatus Status, T Settings, IReadOnlyDictionary<string, string[]> Errors);
