using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

/// <summary>An issued device certificate as listed, with the computer it belongs to.</summary>
internal sealed record IssuedCertificateRow(string SerialNumber, string Thumbprint, string Subject, string ComputerId, string? Hostname,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, DateTimeOffset IssuedAt, string Status, DateTimeOffset? RevokedAt);

internal sealed record IssuedCertificatePage(IReadOnlyList<IssuedCertificateRow> Items, int Total);

/// <summary>Lists the certificates the CA issued, newest first.</summary>
internal sealed class IssuedCertificateQueries(SignetDbContext db)
{
    public async Task<IssuedCertificatePage> ListAsync(int skip, int take, CancellationToken cancellationToken)
    {
        var total = await db.IssuedCertificates.CountAsync(cancellationToken);
        var rows = await (from c in db.IssuedCertificates.AsNoTracking()
                          join computer in db.Computers.AsNoTracking() on c.ComputerId equals computer.Id
                          orderby c.Id descending
                          select new { c.SerialNumber, c.Thumbprint, c.Subject, c.ComputerId, computer.Hostname, c.NotBefore, c.NotAfter,
                              c.IssuedAt, c.Status, c.RevokedAt })
            .Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 1000))
            .ToListAsync(cancellationToken);
        return new IssuedCertificatePage([.. rows.Select(r => new IssuedCertificateRow(r.SerialNumber, r.Thumbprint, r.Subject, r.ComputerId,
            r.Hostname, r.NotBefore, r.NotAfter, r.IssuedAt, r.Status.ToName(), r.RevokedAt))], total);
    }
}
