using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;
using Signet.Server.Problems;

namespace Signet.Server.Settings;

/// <summary>PUT body: every field optional, so a client may change one setting without knowing the others.</summary>
internal sealed record SecuritySettingsUpdate(bool? CertificateBasedCommunication, int? MaximumClockSkewSeconds, int? DeviceCertificateLifetimeDays);

internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/settings/security", (SecuritySettingsSnapshot snapshot) => TypedResults.Ok(snapshot.Current))
            .WithName("GetSecuritySettings");
        api.MapPut("/settings/security", UpdateAsync).WithName("UpdateSecuritySettings");
        return api;
    }

    private static async Task<IResult> UpdateAsync(SecuritySettingsUpdate? update, SignetDbContext db, SecuritySettingsSnapshot snapshot,
        AuditLog audit, Cluster.IClusterEvents cluster, TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (update is null)
        {
            return ProblemResults.BadRequest("Send the settings as a JSON object.");
        }

        var record = await db.SecuritySettings.SingleAsync(cancellationToken);
        var old = SecuritySettingsSnapshot.FromRecord(record);
        var proposed = new SecuritySettings(
            update.CertificateBasedCommunication ?? old.CertificateBasedCommunication,
            update.MaximumClockSkewSeconds ?? old.MaximumClockSkewSeconds,
            update.DeviceCertificateLifetimeDays ?? old.DeviceCertificateLifetimeDays);
        var errors = proposed.Validate();
        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors);
        }

        record.CertificateBasedCommunication = proposed.CertificateBasedCommunication;
        record.MaximumClockSkewSeconds = proposed.MaximumClockSkewSeconds;
        record.DeviceCertificateLifetimeDays = proposed.DeviceCertificateLifetimeDays;
        record.UpdatedAt = time.GetUtcNow();
        record.Version = Guid.NewGuid();
        audit.Record(user.Identity?.Name ?? "unknown", AuditActions.SettingsChanged, "security", $"old: {old}; new: {proposed}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ProblemResults.Create(Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The settings were changed at the same time by someone else; reload and try again.");
        }

        snapshot.Set(proposed);
        // After the commit: a lost announcement is caught by the other nodes' periodic re-read.
        await cluster.AnnounceAsync(db, Cluster.SettingsChanged.Instance, CancellationToken.None);
        return TypedResults.Ok(proposed);
    }
}
