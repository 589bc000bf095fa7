using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Enrollment;

/// <summary>What the enrolled computer looks like now, beside the request that claims to be it.</summary>
internal sealed record ExistingComputerEvidence(string Id, string? Hostname, string? SerialNumber, string? Model, string? OsName, string? OsVersion,
    DateTimeOffset? LastContactAt, string? LastContactAddress, string? LastSignatureOutcome, DateTimeOffset? LastSignatureAt);

/// <summary>A held enrollment with the evidence an administrator needs to decide it.</summary>
internal sealed record EnrollmentRequestDto(string Id, string Status, string Udid, string? SerialNumber, string? Hostname, string? Model,
    string? OsName, string? OsVersion, string SourceAddress, string? InvitationId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? DecidedAt, string? DecidedBy, ExistingComputerEvidence? Computer);

/// <summary>Read side of held enrollment requests for the admin API and the console.</summary>
internal sealed class EnrollmentRequestQueries(SignetDbContext db, DeviceActivityRecorder activity, TimeProvider time)
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Expired = "expired";
    public static readonly string[] Statuses = [Pending, Approved, Denied, Expired];

    /// <summary>Requests with the given status (all when null), newest first.</summary>
    public Task<IReadOnlyList<EnrollmentRequestDto>> ListAsync(string? status, int take, CancellationToken cancellationToken) =>
        ListAsync(status, null, take, cancellationToken);

    /// <summary>Requests with the given status (all when null) claiming to be one computer (any when null), newest first.</summary>
    public async Task<IReadOnlyList<EnrollmentRequestDto>> ListAsync(string? status, string? computerId, int take, CancellationToken cancellationToken)
    {
        await activity.FlushAsync(cancellationToken);
        var now = time.GetUtcNow();
        var query = db.EnrollmentRequests.AsNoTracking();
        if (computerId is not null)
        {
            query = query.Where(r => r.ComputerId == computerId);
        }

        query = status switch
        {
            Pending => query.Where(r => r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt > now),
            Expired => query.Where(r => r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt <= now),
            Approved => query.Where(r => r.Status == EnrollmentRequestStatus.Approved),
            Denied => query.Where(r => r.Status == EnrollmentRequestStatus.Denied),
            _ => query,
        };
        var requests = await query.OrderByDescending(r => r.CreatedAt).Take(Math.Clamp(take, 1, 1_000)).ToListAsync(cancellationToken);
        var ids = requests.Select(r => r.ComputerId).Distinct().ToList();
        var computers = await db.Computers.AsNoTracking().Where(c => ids.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. requests.Select(r => ToDto(r, computers.GetValueOrDefault(r.ComputerId), now))];
    }

    public async Task<EnrollmentRequestDto?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await activity.FlushAsync(cancellationToken);
        var request = await db.EnrollmentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return null;
        }

        var computer = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ComputerId, cancellationToken);
        return ToDto(request, computer, time.GetUtcNow());
    }

    /// <summary>Held requests waiting for a decision now.</summary>
    public Task<int> CountPendingAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.EnrollmentRequests.CountAsync(r => r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt > now, cancellationToken);
    }

    public static string StatusName(EnrollmentRequest request, DateTimeOffset now) => request.Status switch
    {
        EnrollmentRequestStatus.Approved => Approved,
        EnrollmentRequestStatus.Denied => Denied,
        _ => request.ExpiresAt <= now ? Expired : Pending,
    };

    private static EnrollmentRequestDto ToDto(EnrollmentRequest r, Computers.Computer? c, DateTimeOffset now) => new(
        r.Id, StatusName(r, now), r.Udid, r.SerialNumber, r.Hostname, r.Model, r.OsName, r.OsVersion, r.SourceAddress, r.InvitationId,
        r.CreatedAt, r.ExpiresAt, r.DecidedAt, r.DecidedBy,
        c is null ? null : new ExistingComputerEvidence(c.Id, c.Hostname, c.SerialNumber, c.Model, c.OsName, c.OsVersion, c.LastContactAt,
            c.LastContactAddress, c.LastSignatureOutcome, c.LastSignatureAt));
}
