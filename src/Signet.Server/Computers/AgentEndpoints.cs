using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
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

    /// <summary>Answered from memory in the steady state: the signing certificate's entry (just used to verify the
    /// signature) and the computer's check-in state in the device directory, which every certificate change on any node
    /// invalidates. The database is asked when the answer would be "send inventory" (a cached inventory time can only be
    /// older than the truth).</summary>
    private static async Task<IResult> CheckInAsync(HttpContext context, IComputerDirectory computers, IDeviceKeyDirectory keys,
        Settings.CheckInSettingsSnapshot checkIn, TimeProvider time, CancellationToken cancellationToken)
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
        var udid = context.User.FindFirstValue(DeviceSignatureDefaults.UdidClaim)!;
        var keyId = context.User.FindFirstValue(DeviceSignatureDefaults.KeyIdClaim);
        var now = time.GetUtcNow();
        var state = await computers.FindCheckInStateAsync(udid, computerId, cancellationToken);
        // The certificate that signed (or, served unsigned, the current one) and whether a renewed one waits unused.
        var signed = keyId is null ? null : await keys.FindAsync(keyId, cancellationToken);
        var signing = signed is not null && signed.ComputerId == computerId ? (signed.Status, signed.NotBefore, signed.NotAfter)
            : state?.CurrentKeyId is not null ? (Status: CertificateStatus.Current, NotBefore: state.CurrentNotBefore, NotAfter: state.CurrentNotAfter)
            : ((CertificateStatus Status, DateTimeOffset NotBefore, DateTimeOffset NotAfter)?)null;

        var actions = new List<string>();
        // A renewed certificate the agent never picked up (its response was lost): renewing again with the pending key
        // returns it. Otherwise renew with a third of the lifetime left: early enough to retry, late enough not to churn.
        var unusedRenewal = signing?.Status == CertificateStatus.Current && state?.HasPendingRenewal == true;
        if (signing is { } used && (unusedRenewal || CertificateRenewal.IsDue(used.NotBefore, used.NotAfter, now)))
        {
            actions.Add(AgentActions.Renew);
        }

        if (InventoryDue(state?.LastInventoryAt, now))
        {
            var db = context.RequestServices.GetRequiredService<SignetDbContext>();
            var lastInventoryAt = await db.Computers.AsNoTracking().Where(c => c.Id == computerId)
                .Select(c => c.LastInventoryAt).FirstOrDefaultAsync(cancellationToken);
            if (InventoryDue(lastInventoryAt, now))
            {
                actions.Add(AgentActions.Inventory);
            }
            else
            {
                // Received on another node, or before this node cached the state: remembered, so it is asked once.
                computers.InventoryReceived(udid, lastInventoryAt!.Value);
            }
        }

        var interval = checkIn.Current.CheckInIntervalSeconds;
        // Told back so an agent served only because certificate-based communication is off learns it would be refused.
        return TypedResults.Ok(new CheckInResponse(computerId, actions, interval)
        {
            Signature = context.User.FindFirstValue(DeviceSignatureDefaults.SignatureOutcomeClaim),
        });
    }

    private static bool InventoryDue(DateTimeOffset? lastInventoryAt, DateTimeOffset now) =>
        lastInventoryAt is null || now - lastInventoryAt > TimeSpan.FromDays(1);

    private static async Task<IResult> SubmitInventoryAsync(HttpContext context, SignetDbContext db, IComputerDirectory computers,
        TimeProvider time, CancellationToken cancellationToken)
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
        computers.InventoryReceived(context.User.FindFirstValue(DeviceSignatureDefaults.UdidClaim)!, now);
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
