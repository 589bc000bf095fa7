using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Enrollment;
using Signet.Server.Settings;

namespace Signet.Server.Lifecycle;

/// <summary>The one owner of every change to a computer's certificates (docs/lifecycle.md): enroll, re-enroll, hold,
/// approve, deny, renew, first use of a renewed certificate, revoke and delete. Each change is one transaction with
/// its audit event, the CRL when something was withdrawn, and the cluster announcement; caches are invalidated only
/// after the commit. Endpoints and console pages call this and shape the answer.</summary>
internal sealed partial class CertificateLifecycle(
    SignetDbContext db,
    DeviceCertificateStore certificates,
    CrlPublisher crl,
    IDeviceKeyDirectory keys,
    IComputerDirectory computers,
    IClusterEvents cluster,
    SecuritySettingsSnapshot settings,
    NewComputerCommitter newComputers,
    IOptions<LifecycleOptions> options,
    IOptions<AgentOptions> agent,
    TimeProvider time) : IRenewedCertificateActivation
{
    /// <summary>What one change touched: the keyids and UDIDs (a computer's id and check-in state) every node must
    /// forget, and whether the CRL changed.</summary>
    private sealed class Change
    {
        public List<string> KeyIds { get; } = [];
        public List<string> Udids { get; } = [];
        public bool Withdrew { get; set; }

        public void Touch(IEnumerable<IssuedCertificate> changed)
        {
            KeyIds.AddRange(changed.Select(c => c.Thumbprint));
        }
    }

    private async Task<IDbContextTransaction> BeginAsync(string udid, CancellationToken cancellationToken)
    {
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClusterLocks.LockUdidAsync(db, udid, cancellationToken);
        return transaction;
    }

    /// <summary>Save → CRL → announce → commit → forget: the one sequence every change ends with.</summary>
    private async Task CommitAsync(IDbContextTransaction transaction, Change change, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        if (change.Withdrew)
        {
            await crl.PublishAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        if (change.KeyIds.Count > 0 || change.Udids.Count > 0)
        {
            await cluster.AnnounceAsync(db, new CertificatesChanged([.. change.KeyIds], [.. change.Udids]), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        foreach (var keyId in change.KeyIds)
        {
            keys.Invalidate(keyId);
        }

        foreach (var udid in change.Udids)
        {
            computers.InvalidateUdid(udid);
        }
    }

    /// <summary>Renewal: a pending certificate for the CSR's key, the signing certificate staying current until the new
    /// one is first used. The same key again returns the same certificate, so a lost response costs nothing.</summary>
    public async Task<RenewalOutcome> RenewAsync(string computerId, string signingKeyId, System.Security.Cryptography.X509Certificates.PublicKey key,
        Protocol.Wire.KeyProtection? keyProtection, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keyHash = DeviceCertificateStore.KeyHash(key);
        var computer = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == computerId, cancellationToken);
        if (computer is null)
        {
            return new RenewalOutcome(null, Refusal.Of(Protocol.ProblemCode.NotEnrolled));
        }

        var signing = await db.IssuedCertificates.AsNoTracking().FirstOrDefaultAsync(c => c.Thumbprint == signingKeyId, cancellationToken);
        if (signing is not null && KeyHashOf(signing) == keyHash)
        {
            return new RenewalOutcome(null, new Refusal(Protocol.ProblemCode.KeyNotAllowed,
                "Renewal needs a new key: the CSR carries the key of the current certificate."));
        }

        // A retry after a lost response is answered without a signature or a write transaction.
        if (await DeviceCertificateStore.FindLiveAsync(db, computerId, keyHash, cancellationToken) is { } answered)
        {
            return new RenewalOutcome(new IssuedResult(computerId, answered.Der), null);
        }

        // The CA signs before the write transaction, so the database's writer is not held for the signature (a CA key
        // in a token, or RSA-4096, takes milliseconds). Unused if a concurrent renewal with this key wins below.
        var issued = certificates.Sign(key, computerId, computer.Udid, now, settings.Current.DeviceCertificateLifetime,
            CertificateStatus.Pending, keyProtection);
        await using var transaction = await BeginAsync(computer.Udid, cancellationToken);
        if (await DeviceCertificateStore.FindLiveAsync(db, computerId, keyHash, cancellationToken) is { } already)
        {
            return new RenewalOutcome(new IssuedResult(computerId, already.Der), null);
        }

        // An earlier renewal whose certificate was never used gives way to this one.
        var change = new Change();
        var abandoned = await db.IssuedCertificates
            .Where(c => c.ComputerId == computerId && c.Status == CertificateStatus.Pending)
            .ToListAsync(cancellationToken);
        DeviceCertificateStore.Supersede(abandoned, now);
        change.Touch(abandoned);
        change.Withdrew = abandoned.Count > 0;

        db.IssuedCertificates.Add(issued);
        change.KeyIds.Add(issued.Thumbprint);
        change.Udids.Add(computer.Udid);
        Record(actor, AuditActions.Renewed, computerId,
            $"oldSerial={signing?.SerialNumber}; newSerial={issued.SerialNumber}; pendingUntilFirstUse=true; abandoned={Serials(abandoned)}");
        await CommitAsync(transaction, change, cancellationToken);
        return new RenewalOutcome(new IssuedResult(computerId, issued.Der), null);
    }

    /// <summary>A renewed certificate signed a valid request for the first time: it becomes current, and the one it
    /// replaces keeps a short grace so requests already signed with it still land. Safe to call concurrently and on
    /// several nodes: only the first call changes anything.</summary>
    public async Task ActivateAsync(string keyId, string udid, string sourceAddress, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var transaction = await BeginAsync(udid, cancellationToken);
        var pending = await db.IssuedCertificates.FirstOrDefaultAsync(c => c.Thumbprint == keyId, cancellationToken);
        if (pending is not { Status: CertificateStatus.Pending })
        {
            return;
        }

        var change = new Change();
        var replaced = await db.IssuedCertificates
            .Where(c => c.ComputerId == pending.ComputerId && c.Status == CertificateStatus.Current)
            .ToListAsync(cancellationToken);
        var grace = now.AddMinutes(agent.Value.RenewalGraceMinutes);
        DeviceCertificateStore.Supersede(replaced, now, grace);

        // The old row must stop being current before the new one starts: one current certificate per computer.
        await db.SaveChangesAsync(cancellationToken);
        pending.Status = CertificateStatus.Current;
        pending.Version = Guid.NewGuid();
        change.Touch(replaced);
        change.KeyIds.Add(keyId);
        change.Udids.Add(udid);
        change.Withdrew = replaced.Count > 0;
        Record(LifecycleActor.Agent(sourceAddress), AuditActions.RenewalCompleted, pending.ComputerId,
            $"newSerial={pending.SerialNumber}; oldSerial={Serials(replaced)}; graceUntil={grace:O}");
        await CommitAsync(transaction, change, cancellationToken);
    }

    /// <summary>Revokes every certificate of the computer that can still sign (current, pending, in grace).</summary>
    public async Task<RevocationResult> RevokeAsync(string computerId, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var computer = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == computerId, cancellationToken);
        if (computer is null)
        {
            return new RevocationResult(RevocationStatus.ComputerNotFound, [], now);
        }

        await using var transaction = await BeginAsync(computer.Udid, cancellationToken);
        var revoked = await DeviceCertificateStore.LiveAsync(db, computerId, now, cancellationToken);
        if (revoked.Count == 0)
        {
            return new RevocationResult(RevocationStatus.NothingToRevoke, [], now);
        }

        DeviceCertificateStore.Revoke(revoked, now);
        var change = new Change { Withdrew = true };
        change.Touch(revoked);
        change.Udids.Add(computer.Udid);
        Record(actor, AuditActions.Revoked, computerId, $"serials={Serials(revoked)}");
        await CommitAsync(transaction, change, cancellationToken);
        return new RevocationResult(RevocationStatus.Revoked, [.. revoked.Select(c => c.SerialNumber)], now);
    }

    /// <summary>Deletes a computer: its certificates are revoked (and stay on the CRL), its held requests and inventory
    /// go, and its UDID may enroll again as a new computer with an invitation. False when no computer has the id.</summary>
    public async Task<bool> DeleteAsync(string computerId, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == computerId, cancellationToken);
        if (found is null)
        {
            return false;
        }

        await using var transaction = await BeginAsync(found.Udid, cancellationToken);
        var computer = await db.Computers.FirstOrDefaultAsync(c => c.Id == computerId, cancellationToken);
        if (computer is null)
        {
            return false;
        }

        var revoked = await DeviceCertificateStore.LiveAsync(db, computerId, now, cancellationToken);
        DeviceCertificateStore.Revoke(revoked, now);
        computer.DeletedAt = now;
        computer.Version = Guid.NewGuid();
        await CloseHeldRequestsAsync(computerId, actor.Name, now, cancellationToken);
        await db.InventorySubmissions.Where(i => i.ComputerId == computerId).ExecuteDeleteAsync(cancellationToken);
        var change = new Change { Withdrew = revoked.Count > 0 };
        change.Touch(revoked);
        change.Udids.Add(computer.Udid);
        Record(actor, AuditActions.ComputerDeleted, computerId,
            $"udid={computer.Udid}; hostname={computer.Hostname}; revokedSerials={Serials(revoked)}");
        await CommitAsync(transaction, change, cancellationToken);
        return true;
    }

    /// <summary>Closes the requests still held for the computer as denied: their agents' polls answer
    /// <c>enrollment-denied</c>.</summary>
    private Task<int> CloseHeldRequestsAsync(string computerId, string decidedBy, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.EnrollmentRequests.Where(r => r.ComputerId == computerId && r.Status == EnrollmentRequestStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, EnrollmentRequestStatus.Denied)
                .SetProperty(r => r.DecidedAt, now)
                .SetProperty(r => r.DecidedBy, decidedBy)
                .SetProperty(r => r.Version, Guid.NewGuid()), cancellationToken);

    private void Record(LifecycleActor actor, string action, string subject, string details) =>
        db.AuditEvents.Add(EventOf(actor, action, subject, details));

    private AuditEvent EventOf(LifecycleActor actor, string action, string subject, string details) =>
        AuditLog.Event(time.GetUtcNow(), actor.Name, action, subject, $"{details}; source={actor.SourceAddress}");

    private static string Serials(IEnumerable<IssuedCertificate> certificates) =>
        string.Join(',', certificates.Select(c => c.SerialNumber));

    /// <summary>The certified key's hash; certificates issued before it was recorded have it computed from their DER.</summary>
    private static string KeyHashOf(IssuedCertificate certificate)
    {
        if (certificate.PublicKeySha256 is { } recorded)
        {
            return recorded;
        }

        using var loaded = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate.Der);
        return DeviceCertificateStore.KeyHash(loaded.PublicKey);
    }
}
