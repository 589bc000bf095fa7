using Microsoft.EntityFrameworkCore;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;

namespace Signet.Server.Settings;

/// <summary>How many enrolled computers last sent a given signature outcome.</summary>
internal sealed record ReadinessOutcome(string Outcome, int Count);

/// <summary>A computer that would be refused with certificate-based communication on, and why.</summary>
internal sealed record ReadinessComputer(string Id, string Udid, string? Hostname, string? SerialNumber, string Outcome,
    DateTimeOffset? OutcomeAt, bool HasCurrentCertificate);

/// <summary>The readiness view: counts by last signature outcome and the computers that would be locked out.</summary>
internal sealed record ReadinessReport(int Enrolled, int Ready, int NotReady, IReadOnlyList<ReadinessOutcome> Outcomes,
    IReadOnlyList<ReadinessComputer> WouldBeRefused);

/// <summary>Answers "who would be locked out if certificate-based communication were switched on now?" A computer is
/// ready when its last request carried a valid signature and it still holds a current, unexpired certificate.</summary>
internal sealed class SignatureReadiness(SignetDbContext db, IEnumerable<IBufferedWrites> buffered, TimeProvider time)
{
    /// <summary>The outcome shown for computers that have not sent a signed request since enrollment.</summary>
    public const string NeverSigned = "never-signed";
    public const string Valid = "valid";

    public async Task<ReadinessReport> GetAsync(int listLimit, CancellationToken cancellationToken)
    {
        // Outcomes are written in batches: flush so the view matches what the agent API just saw.
        await IBufferedWrites.FlushAllAsync(buffered, cancellationToken);
        var now = time.GetUtcNow();
        var outcomes = await db.Computers.AsNoTracking()
            .GroupBy(c => c.LastSignatureOutcome ?? NeverSigned)
            .Select(g => new ReadinessOutcome(g.Key, g.Count()))
            .ToListAsync(cancellationToken);
        var notReady = db.Computers.AsNoTracking().Where(c => c.LastSignatureOutcome == null || c.LastSignatureOutcome != Valid ||
            !db.IssuedCertificates.Any(i => i.ComputerId == c.Id && i.Status == CertificateStatus.Current && i.NotAfter > now));
        var notReadyCount = await notReady.CountAsync(cancellationToken);
        var list = await notReady.OrderBy(c => c.Hostname).ThenBy(c => c.Id).Take(listLimit)
            .Select(c => new ReadinessComputer(c.Id, c.Udid, c.Hostname, c.SerialNumber, c.LastSignatureOutcome ?? NeverSigned,
                c.LastSignatureAt,
                db.IssuedCertificates.Any(i => i.ComputerId == c.Id && i.Status == CertificateStatus.Current && i.NotAfter > now)))
            .ToListAsync(cancellationToken);
        var enrolled = outcomes.Sum(o => o.Count);
        return new ReadinessReport(enrolled, enrolled - notReadyCount, notReadyCount,
            [.. outcomes.OrderByDescending(o => o.Count).ThenBy(o => o.Outcome, StringComparer.Ordinal)], list);
    }
}
