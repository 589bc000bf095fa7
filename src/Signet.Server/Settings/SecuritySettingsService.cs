using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.Settings;

internal enum SettingsUpdateStatus
{
    Applied,
    Invalid,
    Conflict,
}

/// <summary>The one path that changes the Security settings (admin API and console): validates, audits who/old/new,
/// saves, and swaps the in-memory snapshot so the very next agent request sees the change.</summary>
internal sealed class SecuritySettingsService(SignetDbContext db, SecuritySettingsSnapshot snapshot, AuditLog audit,
    Cluster.IClusterEvents cluster, TimeProvider time)
{
    public SecuritySettings Current => snapshot.Current;

    public async Task<SettingsUpdate<SecuritySettings>> UpdateAsync(SecuritySettingsUpdate update, string actor, CancellationToken cancellationToken)
    {
        var record = await db.SecuritySettings.SingleAsync(cancellationToken);
        var old = SecuritySettingsSnapshot.FromRecord(record);
        var proposed = new SecuritySettings(
            update.CertificateBasedCommunication ?? old.CertificateBasedCommunication,
            update.MaximumClockSkewSeconds ?? old.MaximumClockSkewSeconds,
            update.DeviceCertificateLifetimeDays ?? old.DeviceCertificateLifetimeDays,
            update.Reenrollment ?? old.Reenrollment,
            update.RequireHardwareKeys ?? old.RequireHardwareKeys);
        var errors = proposed.Validate();
        if (errors.Count > 0)
        {
            return new SettingsUpdate<SecuritySettings>(SettingsUpdateStatus.Invalid, old, errors);
        }

        record.CertificateBasedCommunication = proposed.CertificateBasedCommunication;
        record.MaximumClockSkewSeconds = proposed.MaximumClockSkewSeconds;
        record.DeviceCertificateLifetimeDays = proposed.DeviceCertificateLifetimeDays;
        record.Reenrollment = proposed.Reenrollment;
        record.RequireHardwareKeys = proposed.RequireHardwareKeys;
        record.UpdatedAt = time.GetUtcNow();
        record.Version = Guid.NewGuid();
        audit.Record(actor, AuditActions.SettingsChanged, "security", AuditChanges.Describe(
            ("certificateBasedCommunication", old.CertificateBasedCommunication, proposed.CertificateBasedCommunication),
            ("maximumClockSkewSeconds", old.MaximumClockSkewSeconds, proposed.MaximumClockSkewSeconds),
            ("deviceCertificateLifetimeDays", old.DeviceCertificateLifetimeDays, proposed.DeviceCertificateLifetimeDays),
            ("reenrollment", old.Reenrollment, proposed.Reenrollment)));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new SettingsUpdate<SecuritySettings>(SettingsUpdateStatus.Conflict, old, new Dictionary<string, string[]>());
        }

        snapshot.Set(proposed);
        // After the commit: a lost announcement is caught by the other nodes' periodic re-read.
        await cluster.AnnounceAsync(db, Cluster.SettingsChanged.Instance, CancellationToken.None);
        return new SettingsUpdate<SecuritySettings>(SettingsUpdateStatus.Applied, proposed, new Dictionary<string, string[]>());
    }
}
