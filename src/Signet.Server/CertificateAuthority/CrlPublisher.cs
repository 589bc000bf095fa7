using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

/// <summary>Builds and stores the CRL: every revoked or superseded certificate that has not expired yet.</summary>
internal sealed class CrlPublisher(ICaSigner ca, TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(7);

    /// <summary>Republish when less than this is left before next-update.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromDays(1);

    /// <summary>Adds a new CRL to <paramref name="db"/> (saved with the caller's changes, in its transaction).
    /// Call after the status changes have been saved so they are listed.</summary>
    public async Task<CrlRecord> PublishAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        // Two publications at once (revocations of two computers, the refresher) would take the same number: on
        // PostgreSQL the second waits here for the first's commit and then reads its number (SQLite has one writer).
        await LockAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var withdrawn = await db.IssuedCertificates.AsNoTracking()
            .Where(c => (c.Status == CertificateStatus.Superseded || c.Status == CertificateStatus.Revoked) && c.NotAfter > now)
            .Select(c => new { c.SerialNumber, c.Status, c.RevokedAt, c.SupersededAt })
            .ToListAsync(cancellationToken);

        var builder = new CertificateRevocationListBuilder();
        foreach (var entry in withdrawn)
        {
            var revoked = entry.Status == CertificateStatus.Revoked;
            builder.AddEntry(
                Convert.FromHexString(entry.SerialNumber),
                (revoked ? entry.RevokedAt : entry.SupersededAt) ?? now,
                revoked ? X509RevocationReason.Unspecified : X509RevocationReason.Superseded);
        }

        var last = await db.Crls.AsNoTracking().OrderByDescending(c => c.Number).Select(c => (long?)c.Number)
            .FirstOrDefaultAsync(cancellationToken);
        var number = (last ?? 0) + 1;
        var der = builder.Build(
            ca.Certificate.SubjectName,
            ca.SignatureGenerator,
            new BigInteger(number),
            now + Validity,
            ca.HashAlgorithm,
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca.Certificate, true, false),
            now);

        var record = new CrlRecord { Number = number, Der = der, ThisUpdate = now, NextUpdate = now + Validity };
        db.Crls.Add(record);
        // Older CRLs are of no use to anyone: keep a few for diagnosis only.
        await db.Crls.Where(c => c.Number < number - 5).ExecuteDeleteAsync(cancellationToken);
        return record;
    }

    /// <summary>The current CRL, republished first when it is missing or close to its next-update (normally
    /// <see cref="CrlRefresher"/> has done that already).</summary>
    public async Task<byte[]> GetCurrentAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        if (await FreshAsync(db, cancellationToken) is { } current)
        {
            return current.Der;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Another caller (or node) may have republished while this one waited for the lock.
        await LockAsync(db, cancellationToken);
        if (await FreshAsync(db, cancellationToken) is { } meanwhile)
        {
            return meanwhile.Der;
        }

        var fresh = await PublishAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return fresh.Der;
    }

    private async Task<CrlRecord?> FreshAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        var current = await db.Crls.AsNoTracking().OrderByDescending(c => c.Number).FirstOrDefaultAsync(cancellationToken);
        return current is not null && current.NextUpdate - time.GetUtcNow() > RefreshMargin ? current : null;
    }

    /// <summary>Serialises CRL publications across nodes until the caller's transaction ends, so each takes the next
    /// number. SQLite has one writer already.</summary>
    private static async Task LockAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended('signet-crl', 0))", cancellationToken);
        }
    }
}
