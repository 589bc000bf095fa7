using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Enrollment;
using Signet.Server.Problems;
using Signet.Server.Settings;

namespace Signet.Server.Computers;

/// <summary>The device-authenticated agent API: check-in, inventory, renewal.</summary>
internal static class AgentEndpoints
{
    private const int KeptInventories = 10;

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/agent/v1").RequireAuthorization(DeviceSignatureDefaults.Policy).WithTags("Agent");
        agent.MapPost("/checkin", CheckInAsync).WithName("CheckIn").Accepts<CheckInRequest>("application/json");
        agent.MapPost("/inventory", SubmitInventoryAsync).WithName("SubmitInventory").Accepts<InventoryDocument>("application/json");
        agent.MapPost("/renew", RenewAsync).WithName("Renew").Accepts<RenewRequest>("application/json").RequireDeviceSignature();
        return app;
    }

    private static async Task<IResult> CheckInAsync(HttpContext context, SignetDbContext db, IOptions<AgentOptions> agent,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (!JsonBody.TryRead<CheckInRequest>(Body(context), out var request, out var problem))
        {
            return problem!;
        }

        if (string.IsNullOrWhiteSpace(request!.AgentVersion) || request.AgentVersion.Length > 64)
        {
            return ProblemResults.Validation("agentVersion", "Required, at most 64 characters.");
        }

        var computerId = context.User.ComputerId();
        var now = time.GetUtcNow();
        var lastInventoryAt = await db.Computers.AsNoTracking().Where(c => c.Id == computerId)
            .Select(c => c.LastInventoryAt).FirstOrDefaultAsync(cancellationToken);
        var certificate = await db.IssuedCertificates.AsNoTracking()
            .Where(c => c.ComputerId == computerId && c.Status == CertificateStatus.Current)
            .OrderByDescending(c => c.NotAfter)
            .Select(c => new { c.NotBefore, c.NotAfter })
            .FirstOrDefaultAsync(cancellationToken);

        var actions = new List<string>();
        // Renew with a third of the lifetime left: early enough to retry for a while, late enough not to churn.
        if (certificate is not null && certificate.NotAfter - now < (certificate.NotAfter - certificate.NotBefore) / 3)
        {
            actions.Add(AgentActions.Renew);
        }

        if (lastInventoryAt is null || now - lastInventoryAt > TimeSpan.FromDays(1))
        {
            actions.Add(AgentActions.Inventory);
        }

        return TypedResults.Ok(new CheckInResponse(computerId, actions, agent.Value.CheckInIntervalSeconds));
    }

    private static async Task<IResult> SubmitInventoryAsync(HttpContext context, SignetDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!JsonBody.TryRead<InventoryDocument>(Body(context), out var document, out var problem))
        {
            return problem!;
        }

        var errors = InventoryValidator.Validate(document!);
        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors, "The inventory document is not valid.");
        }

        var computerId = context.User.ComputerId();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.InventorySubmissions.Add(new InventorySubmission
        {
            ComputerId = computerId,
            ReceivedAt = now,
            Document = JsonSerializer.Serialize(document, SignetJson.Options),
        });
        await db.SaveChangesAsync(cancellationToken);
        await db.Computers.Where(c => c.Id == computerId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastInventoryAt, now), cancellationToken);
        var keep = db.InventorySubmissions.Where(i => i.ComputerId == computerId)
            .OrderByDescending(i => i.ReceivedAt).ThenByDescending(i => i.Id).Take(KeptInventories).Select(i => i.Id);
        await db.InventorySubmissions.Where(i => i.ComputerId == computerId && !keep.Contains(i.Id))
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> RenewAsync(HttpContext context, SignetDbContext db, DeviceCertificateStore certificates,
        CrlPublisher crl, IDeviceKeyDirectory keys, SecuritySettingsSnapshot settings, ICaSigner ca, AuditLog audit,
        IOptions<AgentOptions> agent, Cluster.IClusterEvents cluster, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!JsonBody.TryRead<RenewRequest>(Body(context), out var request, out var problem))
        {
            return problem!;
        }

        var (publicKey, csrProblem) = CsrValidator.Validate(request!.Csr);
        if (csrProblem is { } code)
        {
            return ProblemResults.Create(code, StatusCodes.Status400BadRequest, code == ProblemCode.KeyNotAllowed
                ? "The CSR's key is not allowed: use RSA of at least 2048 bits or ECDSA P-256/P-384."
                : "The CSR could not be read or its signature does not verify.");
        }

        var computerId = context.User.ComputerId();
        var keyId = context.User.FindFirstValue(DeviceSignatureDefaults.KeyIdClaim);
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var computer = await db.Computers.SingleAsync(c => c.Id == computerId, cancellationToken);
        var signingDer = await db.IssuedCertificates.Where(c => c.Thumbprint == keyId).Select(c => c.Der).FirstOrDefaultAsync(cancellationToken);
        if (signingDer is not null)
        {
            using var signing = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(signingDer);
            if (signing.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(publicKey!.ExportSubjectPublicKeyInfo()))
            {
                return ProblemResults.Create(ProblemCode.KeyNotAllowed, StatusCodes.Status400BadRequest,
                    "Renewal needs a new key: the CSR carries the key of the current certificate.");
            }
        }

        var superseded = await DeviceCertificateStore.SupersedeAsync(db, computerId, now,
            now.AddMinutes(agent.Value.RenewalGraceMinutes), cancellationToken);
        var issued = certificates.Issue(db, publicKey!, computer, now, settings.Current.DeviceCertificateLifetime);
        audit.Record("agent", AuditActions.Renewed, computerId, $"serial={issued.SerialNumber}; superseded={superseded.Count}");
        await db.SaveChangesAsync(cancellationToken);
        await crl.PublishAsync(db, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await cluster.AnnounceAsync(db, new Cluster.CertificatesChanged([.. superseded, issued.Thumbprint], []), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var old in superseded.Append(issued.Thumbprint))
        {
            keys.Invalidate(old);
        }

        return TypedResults.Ok(new RenewResponse(issued.ToPem(), [ca.Certificate.ExportCertificatePem()]));
    }

    private static byte[] Body(HttpContext context) => context.Features.Get<DeviceRequestBody>()?.Bytes ?? [];
}
