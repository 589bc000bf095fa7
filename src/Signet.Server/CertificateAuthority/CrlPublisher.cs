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

    /// <summary>The current CRL, republished first when it is missing or close to its next-update.</summary>
    public async Task<byte[]> GetCurrentAsync(SignetDbContext db, CancellationToken cancellationToken)
    {
        var current = await db.Crls.AsNoTracking().OrderByDescending(c => c.Number).FirstOrDefaultAsync(cancellationToken);
        if (current is not null && current.NextUpdate - time.GetUtcNow() > RefreshMargin)
        {
            return current.Der;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var fresh = await PublishAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return fresh.Der;
    }
}
