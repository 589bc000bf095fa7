using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Problems;

namespace Signet.Server.Computers;

internal sealed record CertificateDto(string SerialNumber, string Thumbprint, string Subject, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, string Status);

internal sealed record SignatureOutcomeDto(string Outcome, DateTimeOffset? At);

internal sealed record ComputerDto(string Id, string Udid, string? SerialNumber, string? Hostname, string? Model, string? OsName,
    string? OsVersion, DateTimeOffset EnrolledAt, DateTimeOffset? LastContactAt, DateTimeOffset? LastInventoryAt,
    CertificateDto? Certificate, SignatureOutcomeDto? LastSignature);

internal sealed record RevocationDto(string ComputerId, IReadOnlyList<string> RevokedSerialNumbers, DateTimeOffset RevokedAt);

/// <summary>Admin API over computers.</summary>
internal static class ComputerEndpoints
{
    public static RouteGroupBuilder MapComputers(this RouteGroupBuilder api)
    {
        api.MapGet("/computers", ListAsync).WithName("ListComputers");
        api.MapGet("/computers/{id}", GetAsync).WithName("GetComputer");
        api.MapPost("/computers/{id}/revoke-certificate", RevokeAsync).WithName("RevokeCertificate");
        return api;
    }

    private static async Task<IResult> ListAsync(string? search, int? skip, int? take, SignetDbContext db,
        DeviceActivityRecorder activity, CancellationToken cancellationToken)
    {
        // Last contact and signature outcomes are written in batches: write what is pending so the view is current.
        await activity.FlushAsync(cancellationToken);
        var query = db.Computers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(c => c.Udid.Contains(term) || (c.Hostname != null && c.Hostname.Contains(term)) ||
                (c.SerialNumber != null && c.SerialNumber.Contains(term)));
        }

        var page = await query.OrderBy(c => c.Hostname).ThenBy(c => c.Id)
            .Skip(Math.Max(skip ?? 0, 0)).Take(Math.Clamp(take ?? 100, 1, 1000))
            .ToListAsync(cancellationToken);
        var ids = page.Select(c => c.Id).ToList();
        var certificates = await db.IssuedCertificates.AsNoTracking().Where(c => ids.Contains(c.ComputerId))
            .Select(c => new { c.ComputerId, c.SerialNumber, c.Thumbprint, c.Subject, c.NotBefore, c.NotAfter, c.Status, c.IssuedAt, c.Id })
            .ToListAsync(cancellationToken);
        var newest = certificates.GroupBy(c => c.ComputerId).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Id).First());
        return TypedResults.Ok(page.Select(c => ToDto(c, newest.TryGetValue(c.Id, out var cert)
            ? new CertificateDto(cert.SerialNumber, cert.Thumbprint, cert.Subject, cert.NotBefore, cert.NotAfter, StatusName(cert.Status))
            : null)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, SignetDbContext db, DeviceActivityRecorder activity,
        CancellationToken cancellationToken)
    {
        await activity.FlushAsync(cancellationToken);
        var computer = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (computer is null)
        {
            return ProblemResults.NotFound("No computer has that id.");
        }

        var certificate = await db.IssuedCertificates.AsNoTracking().Where(c => c.ComputerId == id)
            .OrderByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(ToDto(computer, certificate is null ? null : new CertificateDto(certificate.SerialNumber,
            certificate.Thumbprint, certificate.Subject, certificate.NotBefore, certificate.NotAfter, StatusName(certificate.Status))));
    }

    private static async Task<IResult> RevokeAsync(string id, SignetDbContext db, CrlPublisher crl,
        IDeviceKeyDirectory keys, Cluster.IClusterEvents cluster, AuditLog audit, TimeProvider time, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await db.Computers.AnyAsync(c => c.Id == id, cancellationToken))
        {
            return ProblemResults.NotFound("No computer has that id.");
        }

        var revoked = await DeviceCertificateStore.RevokeCurrentAsync(db, id, now, cancellationToken);
        if (revoked.Count == 0)
        {
            return ProblemResults.Create(Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The computer has no current certificate to revoke.");
        }

        audit.Record(user.Identity?.Name ?? "unknown", AuditActions.Revoked, id,
            "serials=" + string.Join(',', revoked.Select(c => c.SerialNumber)));
        await db.SaveChangesAsync(cancellationToken);
        await crl.PublishAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await cluster.AnnounceAsync(db, new Cluster.CertificatesChanged([.. revoked.Select(c => c.Thumbprint)], []), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var certificate in revoked)
        {
            keys.Invalidate(certificate.Thumbprint);
        }

        return TypedResults.Ok(new RevocationDto(id, [.. revoked.Select(c => c.SerialNumber)], now));
    }

    private static string StatusName(CertificateStatus status) => status switch
    {
        CertificateStatus.Current => "current",
        CertificateStatus.Superseded => "superseded",
        _ => "revoked",
    };

    private static ComputerDto ToDto(Computer c, CertificateDto? certificate) => new(
        c.Id, c.Udid, c.SerialNumber, c.Hostname, c.Model, c.OsName, c.OsVersion, c.EnrolledAt, c.LastContactAt, c.LastInventoryAt,
        certificate,
        c.LastSignatureOutcome is null ? null : new SignatureOutcomeDto(c.LastSignatureOutcome, c.LastSignatureAt));
}
