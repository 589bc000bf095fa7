using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Signet.Protocol;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.Enrollment;
using Signet.Server.Invitations;

namespace Signet.Server.Lifecycle;

/// <summary>Enrollment, re-enrollment and the requests held for an administrator.</summary>
internal sealed partial class CertificateLifecycle
{
    private const string ReasonSigned = "signed";
    private const string ReasonBoundInvitation = "bound-invitation";
    private const string ReasonInvitationSetting = "invitation-setting";
    private const string ReasonApproved = "approved";

    /// <summary><c>DecidedBy</c> of a held request closed because the computer re-enrolled another way.</summary>
    public const string ClosedByReenrollment = "(re-enrolled)";

    /// <summary>docs/lifecycle.md: a new UDID needs a valid invitation; a known one completes only when signed by its
    /// current certificate, with an invitation bound to it, or with any invitation when the <c>reenrollment</c>
    /// setting says so; otherwise the request is held. The same key again returns what it got the first time.</summary>
    public async Task<EnrollmentOutcome> EnrollAsync(EnrollmentAttempt attempt, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var device = attempt.Device;
        if (attempt.SignedByComputerId is null && await EnrollNewAsync(attempt, actor, now, cancellationToken) is { } newComputer)
        {
            return newComputer;
        }

        var keyHash = DeviceCertificateStore.KeyHash(attempt.Key);
        await using var transaction = await BeginAsync(device.Udid, cancellationToken);
        var computer = await db.Computers.FirstOrDefaultAsync(c => c.Udid == device.Udid, cancellationToken);
        if (computer is not null)
        {
            // A retry after a lost response: the CSR proves possession of the key, so hand back what it already has.
            if (await DeviceCertificateStore.FindLiveAsync(db, computer.Id, keyHash, cancellationToken) is { } already)
            {
                return EnrollmentOutcome.Completed(computer.Id, already.Der);
            }

            var earlier = await db.EnrollmentRequests.AsNoTracking()
                .Where(r => r.Udid == device.Udid && r.PublicKeySha256 == keyHash)
                .OrderByDescending(r => r.CreatedAt)
                .FirstOrDefaultAsync(cancellationToken);
            if (earlier is { Status: EnrollmentRequestStatus.Pending } && earlier.ExpiresAt > now)
            {
                return EnrollmentOutcome.HeldAs(earlier);
            }

            if (earlier is { Status: EnrollmentRequestStatus.Denied })
            {
                return EnrollmentOutcome.Refuse(ProblemCode.EnrollmentDenied,
                    "An administrator denied an enrollment with this key: contact your administrator.");
            }
        }

        // Checked after the retry above, so an answer lost before the setting changed is still fetched.
        if (RefusesKeyProtection(device))
        {
            return EnrollmentOutcome.Refuse(ProblemCode.KeyNotAllowed,
                "This server requires device keys held in a TPM or token: enroll with `signet enroll --keychain-backend pkcs11 " +
                "--pkcs11-module <path> --pkcs11-token <label>`.");
        }

        Invitation? invitation = null;
        if (!string.IsNullOrWhiteSpace(attempt.InvitationCode))
        {
            var codeHash = InvitationCodes.Hash(attempt.InvitationCode);
            invitation = await db.Invitations.AsNoTracking()
                .FirstOrDefaultAsync(i => i.CodeHash == codeHash && i.UsesRemaining > 0 && i.ExpiresAt > now, cancellationToken);
            // An invitation issued for one computer is worth nothing to any other UDID.
            if (invitation is null || (invitation.ComputerId is not null && invitation.ComputerId != computer?.Id))
            {
                return EnrollmentOutcome.Refuse(ProblemCode.InvitationInvalid);
            }
        }

        if (computer is null)
        {
            if (invitation is null || !await TakeUseAsync(invitation.Id, now, cancellationToken))
            {
                return EnrollmentOutcome.Refuse(ProblemCode.InvitationInvalid);
            }

            computer = new Computer { Id = Guid.NewGuid().ToString(), Udid = device.Udid, EnrolledAt = now, Version = Guid.NewGuid() };
            Describe(computer, device);
            db.Computers.Add(computer);
            var first = certificates.Issue(db, attempt.Key, computer.Id, computer.Udid, now, settings.Current.DeviceCertificateLifetime,
                CertificateStatus.Current, device.KeyProtection);
            var change = new Change();
            change.KeyIds.Add(first.Thumbprint);
            change.Udids.Add(computer.Udid);
            Record(actor, AuditActions.Enrolled, computer.Id, $"udid={computer.Udid}; newSerial={first.SerialNumber}; invitation={invitation.Id}");
            await CommitAsync(transaction, change, cancellationToken);
            return EnrollmentOutcome.Completed(computer.Id, first.Der);
        }

        var reason = attempt.SignedByComputerId == computer.Id ? ReasonSigned
            : invitation?.ComputerId == computer.Id ? ReasonBoundInvitation
            : invitation is not null && settings.Current.InvitationReenrolls ? ReasonInvitationSetting
            : null;
        if (reason is null)
        {
            return await HoldAsync(transaction, attempt, computer, keyHash, invitation, actor, now, cancellationToken);
        }

        if (reason != ReasonSigned && !await TakeUseAsync(invitation!.Id, now, cancellationToken))
        {
            return EnrollmentOutcome.Refuse(ProblemCode.InvitationInvalid);
        }

        var (issued, replaced) = await ReenrollAsync(computer, attempt.Key, device, now, cancellationToken);
        var reenrolled = new Change { Withdrew = replaced.Count > 0 };
        reenrolled.Touch(replaced);
        reenrolled.KeyIds.Add(issued.Thumbprint);
        reenrolled.Udids.Add(computer.Udid);
        Record(actor, AuditActions.Reenrolled, computer.Id,
            $"udid={computer.Udid}; reason={reason}; oldSerials={Serials(replaced)}; newSerial={issued.SerialNumber}; invitation={invitation?.Id}");
        await CommitAsync(transaction, reenrolled, cancellationToken);
        return EnrollmentOutcome.Completed(computer.Id, issued.Der);
    }

    /// <summary>The common case, a UDID never enrolled with a general invitation, made cheap: one read, the CA's
    /// signature outside any transaction, and the rows written by the group commit with other enrollments. Null when it
    /// is not that case (or no longer is when the batch is written), for the full path below to decide.</summary>
    private async Task<EnrollmentOutcome?> EnrollNewAsync(EnrollmentAttempt attempt, LifecycleActor actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var device = attempt.Device;
        // A key the Security settings do not allow is refused on the full path, with its message.
        if (string.IsNullOrWhiteSpace(attempt.InvitationCode) || RefusesKeyProtection(device))
        {
            return null;
        }

        // One round trip: a general invitation with a use left, and no computer with the UDID yet.
        var codeHash = InvitationCodes.Hash(attempt.InvitationCode);
        var invitationId = await db.Invitations.AsNoTracking()
            .Where(i => i.CodeHash == codeHash && i.UsesRemaining > 0 && i.ExpiresAt > now && i.ComputerId == null &&
                !db.Computers.Any(c => c.Udid == device.Udid))
            .Select(i => i.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (invitationId is null)
        {
            return null;
        }

        var computer = new Computer { Id = Guid.NewGuid().ToString(), Udid = device.Udid, EnrolledAt = now, Version = Guid.NewGuid() };
        Describe(computer, device);
        var certificate = certificates.Sign(attempt.Key, computer.Id, computer.Udid, now, settings.Current.DeviceCertificateLifetime,
            CertificateStatus.Current, device.KeyProtection);
        var audited = EventOf(actor, AuditActions.Enrolled, computer.Id,
            $"udid={computer.Udid}; newSerial={certificate.SerialNumber}; invitation={invitationId}");
        return await newComputers.CommitAsync(new NewComputer(invitationId, computer, certificate, audited)) switch
        {
            NewComputerResult.Committed => EnrollmentOutcome.Completed(computer.Id, certificate.Der),
            NewComputerResult.InvitationUsedUp => EnrollmentOutcome.Refuse(ProblemCode.InvitationInvalid),
            _ => null,
        };
    }

    /// <summary>Approves a held request: its key gets the computer's certificate and every earlier one ends at once.
    /// Concurrent approvals of one request (on any node) issue one certificate.</summary>
    public async Task<DecisionOutcome> ApproveAsync(string requestId, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await db.EnrollmentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (found is null)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null);
        }

        await using var transaction = await BeginAsync(found.Udid, cancellationToken);
        if (!await DecideAsync(requestId, EnrollmentRequestStatus.Approved, actor, now, cancellationToken))
        {
            return new DecisionOutcome(DecisionStatus.AlreadyDecided, await ReloadAsync(requestId, cancellationToken));
        }

        var request = await db.EnrollmentRequests.SingleAsync(r => r.Id == requestId, cancellationToken);
        var computer = await db.Computers.FirstOrDefaultAsync(c => c.Id == request.ComputerId, cancellationToken);
        if (computer is null)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null);
        }

        var key = System.Security.Cryptography.X509Certificates.PublicKey.CreateFromSubjectPublicKeyInfo(request.PublicKey, out _);
        var device = new Protocol.Wire.DeviceInfo(request.Udid, request.SerialNumber, request.Hostname, request.Model, request.OsName, request.OsVersion,
            request.KeyProtection is { } kind ? new Protocol.Wire.KeyProtection(kind, request.KeyToken) : null);
        var (issued, replaced) = await ReenrollAsync(computer, key, device, now, cancellationToken);
        request.IssuedThumbprint = issued.Thumbprint;
        var change = new Change { Withdrew = replaced.Count > 0 };
        change.Touch(replaced);
        change.KeyIds.Add(issued.Thumbprint);
        change.Udids.Add(computer.Udid);
        Record(actor, AuditActions.EnrollmentApproved, computer.Id,
            $"request={request.Id}; reason={ReasonApproved}; oldSerials={Serials(replaced)}; newSerial={issued.SerialNumber}; requestSource={request.SourceAddress}");
        await CommitAsync(transaction, change, cancellationToken);
        return new DecisionOutcome(DecisionStatus.Done, request, issued.SerialNumber);
    }

    /// <summary>Denies a held request: the agent's next poll answers <c>enrollment-denied</c>; nothing else changes.</summary>
    public async Task<DecisionOutcome> DenyAsync(string requestId, LifecycleActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var found = await db.EnrollmentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (found is null)
        {
            return new DecisionOutcome(DecisionStatus.NotFound, null);
        }

        await using var transaction = await BeginAsync(found.Udid, cancellationToken);
        if (!await DecideAsync(requestId, EnrollmentRequestStatus.Denied, actor, now, cancellationToken))
        {
            return new DecisionOutcome(DecisionStatus.AlreadyDecided, await ReloadAsync(requestId, cancellationToken));
        }

        Record(actor, AuditActions.EnrollmentDenied, found.ComputerId,
            $"request={found.Id}; udid={found.Udid}; requestSource={found.SourceAddress}");
        await CommitAsync(transaction, new Change(), cancellationToken);
        return new DecisionOutcome(DecisionStatus.Done, await ReloadAsync(requestId, cancellationToken));
    }

    /// <summary>Decides several held requests (a school re-imaging its Macs over the summer), each in its own transaction,
    /// so one decided meanwhile elsewhere does not undo the others. Outcomes in the order of the distinct ids.</summary>
    public async Task<IReadOnlyList<(string Id, DecisionOutcome Outcome)>> DecideAllAsync(IEnumerable<string> requestIds, bool approve,
        LifecycleActor actor, CancellationToken cancellationToken)
    {
        var outcomes = new List<(string, DecisionOutcome)>();
        foreach (var id in requestIds.Distinct(StringComparer.Ordinal))
        {
            outcomes.Add((id, approve ? await ApproveAsync(id, actor, cancellationToken) : await DenyAsync(id, actor, cancellationToken)));
        }

        return outcomes;
    }

    /// <summary>What the agent that filed a held request learns when it polls; null when the id is unknown.</summary>
    public async Task<PollOutcome?> PollAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await db.EnrollmentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);
        if (request is null)
        {
            return null;
        }

        if (request.Status == EnrollmentRequestStatus.Approved && request.IssuedThumbprint is { } thumbprint)
        {
            var der = await db.IssuedCertificates.AsNoTracking().Where(c => c.Thumbprint == thumbprint).Select(c => c.Der)
                .SingleAsync(cancellationToken);
            return new PollOutcome(request.Status, false, new IssuedResult(request.ComputerId, der));
        }

        return new PollOutcome(request.Status, request.Status == EnrollmentRequestStatus.Pending && request.ExpiresAt <= time.GetUtcNow(), null);
    }

    private async Task<EnrollmentOutcome> HoldAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction,
        EnrollmentAttempt attempt, Computer computer, string keyHash, Invitation? invitation, LifecycleActor actor, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var waiting = await db.EnrollmentRequests.CountAsync(r => r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt > now, cancellationToken);
        if (waiting >= options.Value.MaximumPendingRequests)
        {
            return EnrollmentOutcome.Refuse(ProblemCode.RateLimited,
                "Too many enrollment requests are waiting for an administrator: try again later, or ask the administrator for a re-enrollment invitation.");
        }

        var device = attempt.Device;
        var request = new EnrollmentRequest
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ComputerId = computer.Id,
            Udid = device.Udid,
            PublicKey = attempt.Key.ExportSubjectPublicKeyInfo(),
            PublicKeySha256 = keyHash,
            SerialNumber = device.SerialNumber,
            Hostname = device.Hostname,
            Model = device.Model,
            OsName = device.OsName,
            OsVersion = device.OsVersion,
            KeyProtection = device.KeyProtection?.Kind,
            KeyToken = device.KeyProtection?.Token,
            SourceAddress = actor.SourceAddress,
            InvitationId = invitation?.Id,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.Value.HeldRequestLifetimeDays),
            Status = EnrollmentRequestStatus.Pending,
            Version = Guid.NewGuid(),
        };
        db.EnrollmentRequests.Add(request);
        Record(actor, AuditActions.EnrollmentHeld, computer.Id,
            $"request={request.Id}; udid={device.Udid}; hostname={device.Hostname}; serialNumber={device.SerialNumber}; " +
            $"invitation={invitation?.Id ?? "none (recovery)"}");
        await CommitAsync(transaction, new Change(), cancellationToken);
        return EnrollmentOutcome.HeldAs(request);
    }

    /// <summary>Supersedes every live certificate of the computer at once and issues a current one to the key. Requests
    /// still held for the computer are closed as denied: approving one later would take the computer from the key
    /// that just proved itself.</summary>
    private async Task<(IssuedCertificate Issued, List<IssuedCertificate> Replaced)> ReenrollAsync(Computer computer,
        System.Security.Cryptography.X509Certificates.PublicKey key, Protocol.Wire.DeviceInfo device, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await CloseHeldRequestsAsync(computer.Id, ClosedByReenrollment, now, cancellationToken);
        var replaced = await DeviceCertificateStore.LiveAsync(db, computer.Id, now, cancellationToken);
        DeviceCertificateStore.Supersede(replaced, now);
        Describe(computer, device);
        computer.EnrolledAt = now;
        computer.Version = Guid.NewGuid();
        var issued = certificates.Issue(db, key, computer.Id, computer.Udid, now, settings.Current.DeviceCertificateLifetime,
            CertificateStatus.Current, device.KeyProtection);
        return (issued, replaced);
    }

    /// <summary>Takes one use of the invitation in the caller's transaction (<see cref="InvitationUseCommand"/>).</summary>
    private async Task<bool> TakeUseAsync(string invitationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var command = new InvitationUseCommand(db, prepare: false);
        return await command.TakeAsync(invitationId, now, cancellationToken);
    }

    /// <summary>Moves a pending, unexpired request to its decision with one conditional UPDATE: only one caller wins.</summary>
    private async Task<bool> DecideAsync(string requestId, EnrollmentRequestStatus decision, LifecycleActor actor, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await db.EnrollmentRequests
            .Where(r => r.Id == requestId && r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, decision)
                .SetProperty(r => r.DecidedAt, now)
                .SetProperty(r => r.DecidedBy, actor.Name)
                .SetProperty(r => r.Version, Guid.NewGuid()), cancellationToken) == 1;

    private Task<EnrollmentRequest?> ReloadAsync(string requestId, CancellationToken cancellationToken) =>
        db.EnrollmentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == requestId, cancellationToken);

    /// <summary>The Security settings require keys in a token and the agent did not declare one (docs/hardware-keys.md).</summary>
    private bool RefusesKeyProtection(Protocol.Wire.DeviceInfo device) =>
        settings.Current.RequireHardwareKeys && device.KeyProtection?.Kind != Protocol.Wire.KeyProtection.Pkcs11;

    private static void Describe(Computer computer, Protocol.Wire.DeviceInfo device)
    {
        computer.SerialNumber = device.SerialNumber;
        computer.Hostname = device.Hostname;
        computer.Model = device.Model;
        computer.OsName = device.OsName;
        computer.OsVersion = device.OsVersion;
    }
}
