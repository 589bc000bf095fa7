using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Computers;
using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

/// <summary>Issuing, superseding and revoking device certificates inside the caller's transaction. The caller
/// invalidates the returned keyids in the key directory after it committed.</summary>
internal sealed class DeviceCertificateStore(DeviceCertificateIssuer issuer)
{
    public IssuedDeviceCertificate Issue(SignetDbContext db, PublicKey publicKey, Computer computer, DateTimeOffset now, TimeSpan lifetime)
    {
        var issued = issuer.Issue(publicKey, computer.Udid, computer.Id, now, lifetime);
        db.IssuedCertificates.Add(new IssuedCertificate
        {
            ComputerId = computer.Id,
            SerialNumber = issued.SerialNumber,
            Thumbprint = issued.Thumbprint,
            Subject = issued.Certificate.Subject,
            Der = issued.Certificate.RawData,
            NotBefore = new DateTimeOffset(issued.Certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(issued.Certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            IssuedAt = now,
            Status = CertificateStatus.Current,
            Version = Guid.NewGuid(),
        });
        return issued;
    }

    /// <summary>Marks the computer's usable certificates superseded. <paramref name="graceUntil"/> null ends them at once
    /// (re-enrollment), including predecessors still in a renewal grace period.</summary>
    public static async Task<List<string>> SupersedeAsync(SignetDbContext db, string computerId, DateTimeOffset now, DateTimeOffset? graceUntil,
        CancellationToken cancellationToken)
    {
        var certificates = await db.IssuedCertificates
            .Where(c => c.ComputerId == computerId && (c.Status == CertificateStatus.Current ||
                (graceUntil == null && c.Status == CertificateStatus.Superseded && c.GraceUntil != null)))
            .ToListAsync(cancellationToken);
        foreach (var certificate in certificates)
        {
            if (certificate.Status == CertificateStatus.Current)
            {
                certificate.Status = CertificateStatus.Superseded;
                certificate.SupersededAt = now;
            }

            certificate.GraceUntil = graceUntil;
            certificate.Version = Guid.NewGuid();
        }

        return [.. certificates.Select(c => c.Thumbprint)];
    }

    /// <summary>Revokes the computer's current certificate(s); returns their keyids (empty when there was none).</summary>
    public static async Task<List<IssuedCertificate>> RevokeCurrentAsync(SignetDbContext db, string computerId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var certificates = await db.IssuedCertificates
            .Where(c => c.ComputerId == computerId && (c.Status == CertificateStatus.Current ||
                (c.Status == CertificateStatus.Superseded && c.GraceUntil != null && c.GraceUntil > now)))
            .ToListAsync(cancellationToken);
        foreach (var certificate in certificates)
        {
            certificate.Status = CertificateStatus.Revoked;
            certificate.RevokedAt = now;
            certificate.Version = Guid.NewGuid();
        }

        return certificates;
    }
}
