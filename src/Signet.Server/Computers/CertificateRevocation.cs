using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Computers;

internal enum RevocationStatus
{
    Revoked,
    ComputerNotFound,
    NothingToRevoke,
}

internal sealed record RevocationResult(RevocationStatus Status, IReadOnlyList<string> RevokedSerialNumbers, DateTimeOffset At);

/// <summary>Revokes a computer's current certificate (and any predecessor still in its renewal grace): audited, CRL
/// republished, and the keyids dropped from the key cache after commit so the next signed request is refused.</summary>
internal sealed class CertificateRevocation(SignetDbContext db, CrlPublisher crl, IDeviceKeyDirectory keys,
    Cluster.IClusterEvents cluster, AuditLog audit, TimeProvider time)
{
    public async Task<RevocationResult> RevokeAsync(string computerId, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Computers.AnyAsync(c => c.Id == computerId, cancellationToken))
        {
            return new RevocationResult(RevocationStatus.ComputerNotFound, [], now);
        }

        var revoked = await DeviceCertificateStore.RevokeCurrentAsync(db, computerId, now, cancellationToken);
        if (revoked.Count == 0)
        {
            return new RevocationResult(RevocationStatus.NothingToRevoke, [], now);
        }

        audit.Record(actor, AuditActions.Revoked, computerId, "serials=" + string.Join(',', revoked.Select(c => c.SerialNumber)));
        await db.SaveChangesAsync(cancellationToken);
        await crl.PublishAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await cluster.AnnounceAsync(db, new Cluster.CertificatesChanged([.. revoked.Select(c => c.Thumbprint)], []), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var certificate in revoked)
        {
            keys.Invalidate(certificate.Thumbprint);
        }

        return new RevocationResult(RevocationStatus.Revoked, [.. revoked.Select(c => c.SerialNumber)], now);
    }
}
