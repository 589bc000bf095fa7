using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.Settings;

/// <summary>The current Security settings in memory, so agent requests never read them from the database.
/// Loaded at start and replaced on every change; the very next request sees the new values.</summary>
internal sealed class SecuritySettingsSnapshot(IServiceScopeFactory scopes)
{
    private volatile SecuritySettings _current = SecuritySettings.Defaults;

    public SecuritySettings Current => _current;

    public void Set(SecuritySettings settings) => _current = settings;

    /// <summary>Creates the row on first start and loads it.</summary>
    public async Task InitializeAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var record = await db.SecuritySettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            record = new SecuritySettingsRecord
            {
                Id = SecuritySettingsRecord.SingletonId,
                UpdatedAt = time.GetUtcNow(),
                Version = Guid.NewGuid(),
            };
            db.SecuritySettings.Add(record);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                record = await db.SecuritySettings.AsNoTracking().SingleAsync(cancellationToken);
            }
        }

        Set(FromRecord(record));
    }

    public static SecuritySettings FromRecord(SecuritySettingsRecord record) =>
        new(record.CertificateBasedCommunication, record.MaximumClockSkewSeconds, record.DeviceCertificateLifetimeDays, record.Reenrollment,
            record.RequireHardwareKeys);
}
