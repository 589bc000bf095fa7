using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

/// <summary>Row-level changes to device certificates inside the caller's transaction; the certificate lifecycle decides
/// which to make and invalidates the keyids after it committed.</summary>
internal sealed class DeviceCertificateStore(DeviceCertificateIssuer issuer)
{
    /// <summary>Signs a certificate for the key and adds its row with the given status and the key protection the agent
    /// declared.</summary>
    public IssuedCertificate Issue(SignetDbContext db, PublicKey publicKey, string computerId, string udid, DateTimeOffset now,
        TimeSpan lifetime, CertificateStatus status, Protocol.Wire.KeyProtection? keyProtection)
    {
        var row = Sign(publicKey, computerId, udid, now, lifetime, status, keyProtection);
        db.IssuedCertificates.Add(row);
        return row;
    }

    /// <summary>Signs a certificate for the key and returns its row, not yet added anywhere: the CA's signature made
    /// before any write transaction begins.</summary>
    public IssuedCertificate Sign(PublicKey publicKey, string computerId, string udid, DateTimeOffset now, TimeSpan lifetime, CertificateStatus status,
        Protocol.Wire.KeyProtection? keyProtection)
    {
        var issued = issuer.Issue(publicKey, udid, computerId, now, lifetime);
        var row = new IssuedCertificate
        {
            ComputerId = computerId,
            SerialNumber = issued.Certificate.SerialNumber,
            Thumbprint = issued.Thumbprint,
            PublicKeySha256 = KeyHash(publicKey),
            Subject = issued.Subject,
            Der = issued.Certificate.Der,
            NotBefore = issued.Certificate.NotBefore,
            NotAfter = issued.Certificate.NotAfter,
            IssuedAt = now,
            Status = status,
            KeyProtection = keyProtection?.Kind,
            KeyToken = keyProtection?.Token,
            Version = Guid.NewGuid(),
        };
        return row;
    }

    /// <summary>The computer's certificate for this key that is still usable or waiting to be (current or pending), if
    /// any: what a retried enrollment or renewal with the same key gets back.</summary>
    public static Task<IssuedCertificate?> FindLiveAsync(SignetDbContext db, string computerId, string keyHash, CancellationToken cancellationToken) =>
        db.IssuedCertificates.AsNoTracking()
            .Where(c => c.ComputerId == computerId && c.PublicKeySha256 == keyHash &&
                (c.Status == CertificateStatus.Current || c.Status == CertificateStatus.Pending))
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every certificate of the computer that can still sign or become able to (current, pending, or a
    /// predecessor in its renewal grace), tracked for a status change.</summary>
    public static Task<List<IssuedCertificate>> LiveAsync(SignetDbContext db, string computerId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.IssuedCertificates
            .Where(c => c.ComputerId == computerId && (c.Status == CertificateStatus.Current || c.Status == CertificateStatus.Pending ||
                (c.Status == CertificateStatus.Superseded && c.GraceUntil != null && c.GraceUntil > now)))
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);

    /// <summary>Marks the certificates superseded: at once (another enrollment took the computer, or a pending renewal
    /// gave way) when <paramref name="graceUntil"/> is null, else usable until then (a renewal's first use).</summary>
    public static void Supersede(IEnumerable<IssuedCertificate> certificates, DateTimeOffset now, DateTimeOffset? graceUntil = null)
    {
        foreach (var certificate in certificates)
        {
            certificate.Status = CertificateStatus.Superseded;
            certificate.SupersededAt ??= now;
            certificate.GraceUntil = graceUntil;
            certificate.Version = Guid.NewGuid();
        }
    }

    public static void Revoke(IEnumerable<IssuedCertificate> certificates, DateTimeOffset now)
    {
        foreach (var certificate in certificates)
        {
            certificate.Status = CertificateStatus.Revoked;
            certificate.RevokedAt = now;
            certificate.Version = Guid.NewGuid();
        }
    }

    /// <summary>Lowercase hex SHA-256 of the key's SubjectPublicKeyInfo.</summary>
    public static string KeyHash(PublicKey publicKey) => Convert.ToHexStringLower(SHA256.HashData(publicKey.ExportSubjectPublicKeyInfo()));
}
