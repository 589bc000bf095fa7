using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.ApiDocumentation;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Enrollment;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;

namespace Signet.Server.Computers;

/// <summary>The device-authenticated agent API: check-in, inventory, renewal.</summary>
internal static class AgentEndpoints
{
    private const int KeptInventories = 10;

    public static IEndpointRouteBuilder MapAgentApi(this IEndpointRouteBuilder app)
    {
        var agent = app.MapGroup("/agent/v1").RequireAuthorization(DeviceSignatureDefaults.Policy).WithTags("Agent");
        agent.MapPost("/checkin", CheckInAsync).WithName("CheckIn").Accepts<CheckInRequest>("application/json")
            .Produces<CheckInResponse>().WithSummary("Check in: report the agent version and receive the actions to carry out");
        agent.MapPost("/inventory", SubmitInventoryAsync).WithName("SubmitInventory").Accepts<InventoryDocument>("application/json")
            .Produces(StatusCodes.Status204NoContent).WithSummary("Send the computer's inventory");
        agent.MapPost("/renew", RenewAsync).WithName("Renew").Accepts<RenewRequest>("application/json").RequireDeviceSignature()
            .Produces<RenewResponse>().ProducesProblems(ProblemCode.CsrInvalid, ProblemCode.KeyNotAllowed)
            .WithSummary("Renew the device certificate with a CSR for a new key (idempotent per key)");
        return app;
    }

    private static async Task<IResult> CheckInAsync(HttpContext context, SignetDbContext db, Settings.CheckInSettingsService checkIn,
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
        var keyId = context.User.FindFirstValue(DeviceSignatureDefaults.KeyIdClaim);
        var now = time.GetUtcNow();
        var lastInventoryAt = await db.Computers.AsNoTracking().Where(c => c.Id == computerId)
            .Select(c => c.LastInventoryAt).FirstOrDefaultAsync(cancellationToken);
        // The certificate that signed (or, served unsigned, the current one) and whether a renewed one waits unused.
        var certificates = await db.IssuedCertificates.AsNoTracking()
            .Where(c => c.ComputerId == computerId && (c.Thumbprint == keyId || c.Status == CertificateStatus.Current ||
                c.Status == CertificateStatus.Pending))
            .Select(c => new { c.Thumbprint, c.Status, c.NotBefore, c.NotAfter })
            .ToListAsync(cancellationToken);
        var signing = certificates.FirstOrDefault(c => c.Thumbprint == keyId) ?? certificates.FirstOrDefault(c => c.Status == CertificateStatus.Current);

        var actions = new List<string>();
        // A renewed certificate the agent never picked up (its response was lost): renewing again with the pending key
        // returns it. Otherwise renew with a third of the lifetime left: early enough to retry, late enough not to churn.
        var unusedRenewal = signing?.Status == CertificateStatus.Current && certificates.Any(c => c.Status == CertificateStatus.Pending);
        if (signing is not null && (unusedRenewal || signing.NotAfter - now < (signing.NotAfter - signing.NotBefore) / 3))
        {
            actions.Add(AgentActions.Renew);
        }

        if (lastInventoryAt is null || now - lastInventoryAt > TimeSpan.FromDays(1))
        {
            actions.Add(AgentActions.Inventory);
        }

        var interval = (await checkIn.GetAsync(cancellationToken)).CheckInIntervalSeconds;
        // Told back so an agent served only because certificate-based communication is off learns it would be refused.
        return TypedResults.Ok(new CheckInResponse(computerId, actions, interval)
        {
            Signature = context.User.FindFirstValue(DeviceSignatureDefaults.SignatureOutcomeClaim),
        });
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

    private static async Task<IResult> RenewAsync(HttpContext context, CertificateLifecycle lifecycle, ICaSigner ca,
        CancellationToken cancellationToken)
    {
        if (!JsonBody.TryRead<RenewRequest>(Body(context), out var request, out var problem))
        {
            return problem!;
        }

        var errors = new Dictionary<string, string[]>();
        Enrollment.DeviceInfoValidator.CheckKeyProtection(errors, "keyProtection", request!.KeyProtection);
        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors, "The key protection is not valid.");
        }

        var (publicKey, csrProblem) = CsrValidator.Validate(request.Csr);
        if (csrProblem is { } code)
        {
            return ProblemResults.Create(code);
        }

        var keyId = context.User.FindFirstValue(DeviceSignatureDefaults.KeyIdClaim)!;
        var outcome = await lifecycle.RenewAsync(context.User.ComputerId(), keyId, publicKey!, request.KeyProtection, LifecycleActor.Agent(context),
            cancellationToken);
        if (outcome.Refused is { } refusal)
        {
            return ProblemResults.Create(refusal.Code, refusal.Detail);
        }

        return TypedResults.Ok(new RenewResponse(outcome.Issued!.CertificatePem(),
            [ca.Certificate.ExportCertificatePem()]));
    }

    private static byte[] Body(HttpContext context) => context.Features.Get<DeviceRequestBody>()?.Bytes ?? [];
}
