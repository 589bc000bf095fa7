using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Invitations;
using Signet.Server.Problems;
using Signet.Server.Settings;

namespace Signet.Server.Enrollment;

internal static class EnrollEndpoint
{
    public const string RateLimitPolicy = "enroll";

    public static IEndpointRouteBuilder MapEnrollment(this IEndpointRouteBuilder app)
    {
        app.MapPost("/agent/v1/enroll", EnrollAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("Enroll")
            .WithTags("Agent")
            .Accepts<EnrollRequest>("application/json")
            .Produces<EnrollResponse>(StatusCodes.Status201Created);
        return app;
    }

    private static async Task<IResult> EnrollAsync(
        HttpContext context,
        SignetDbContext db,
        DeviceCertificateStore certificates,
        CrlPublisher crl,
        IDeviceKeyDirectory keys,
        IComputerDirectory computers,
        IClusterEvents cluster,
        SecuritySettingsSnapshot settings,
        ICaSigner ca,
        AuditLog audit,
        IOptions<EnrollmentOptions> enrollment,
        IOptions<AgentOptions> agent,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadLimitedAsync(context.Request, enrollment.Value.MaximumBodyBytes, cancellationToken);
        if (body is null)
        {
            return ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status413PayloadTooLarge,
                $"The enrollment request is larger than {enrollment.Value.MaximumBodyBytes} bytes.");
        }

        if (!JsonBody.TryRead<EnrollRequest>(body, out var request, out var problem))
        {
            return problem!;
        }

        var errors = DeviceInfoValidator.Validate(request!.Device);
        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors, "The device description is not valid.");
        }

        if (string.IsNullOrWhiteSpace(request.Invitation) || request.Invitation.Length > 128)
        {
            return InvitationInvalid();
        }

        var (publicKey, csrProblem) = CsrValidator.Validate(request.Csr);
        if (csrProblem is { } code)
        {
            return ProblemResults.Create(code, StatusCodes.Status400BadRequest, code == ProblemCode.KeyNotAllowed
                ? "The CSR's key is not allowed: use RSA of at least 2048 bits or ECDSA P-256/P-384."
                : "The CSR could not be read or its signature does not verify.");
        }

        var now = time.GetUtcNow();
        var device = request.Device;
        var hash = InvitationCodes.Hash(request.Invitation);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ClusterLocks.LockUdidAsync(db, device.Udid, cancellationToken);

        // One conditional UPDATE takes a use: two enrollments racing for the last use cannot both succeed, and
        // if anything below fails the rollback gives the use back.
        var taken = await db.Invitations
            .Where(i => i.CodeHash == hash && i.UsesRemaining > 0 && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsesRemaining, i => i.UsesRemaining - 1), cancellationToken);
        if (taken != 1)
        {
            return InvitationInvalid();
        }

        var computer = await db.Computers.FirstOrDefaultAsync(c => c.Udid == device.Udid, cancellationToken);
        var reenrollment = computer is not null;
        if (computer is null)
        {
            computer = new Computer { Id = Guid.NewGuid().ToString(), Udid = device.Udid, EnrolledAt = now };
            db.Computers.Add(computer);
        }

        computer.SerialNumber = device.SerialNumber;
        computer.Hostname = device.Hostname;
        computer.Model = device.Model;
        computer.OsName = device.OsName;
        computer.OsVersion = device.OsVersion;
        computer.EnrolledAt = now;
        computer.Version = Guid.NewGuid();

        var superseded = reenrollment
            ? await DeviceCertificateStore.SupersedeAsync(db, computer.Id, now, graceUntil: null, cancellationToken)
            : [];
        var issued = certificates.Issue(db, publicKey!, computer, now, settings.Current.DeviceCertificateLifetime);
        audit.Record("agent", AuditActions.Enrolled, computer.Id,
            $"udid={computer.Udid}; serial={issued.SerialNumber}; reenrollment={reenrollment}; superseded={superseded.Count}");
        await db.SaveChangesAsync(cancellationToken);
        if (superseded.Count > 0)
        {
            await crl.PublishAsync(db, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }

        await cluster.AnnounceAsync(db, new CertificatesChanged([.. superseded, issued.Thumbprint], [computer.Udid]), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var keyId in superseded.Append(issued.Thumbprint))
        {
            keys.Invalidate(keyId);
        }

        computers.InvalidateUdid(computer.Udid);
        var response = new EnrollResponse(computer.Id, issued.ToPem(), [ca.Certificate.ExportCertificatePem()],
            agent.Value.CheckInIntervalSeconds);
        return TypedResults.Created($"/api/v1/computers/{computer.Id}", response);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult InvitationInvalid() => ProblemResults.Create(ProblemCode.InvitationInvalid, StatusCodes.Status403Forbidden,
        "The invitation code is unknown, expired or used up: ask the administrator for a new one.");
}
