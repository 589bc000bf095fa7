using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;
using Signet.Server.Problems;

namespace Signet.Server.Invitations;

internal sealed record CreateInvitationRequest(int? Uses, DateTimeOffset? ExpiresAt);

internal sealed record CreateInvitationResponse(string Code, int Uses, DateTimeOffset ExpiresAt);

/// <summary>An invitation as listed: never the code, only its id.</summary>
internal sealed record InvitationDto(string Id, int Uses, int UsesRemaining, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy);

internal static class InvitationEndpoints
{
    public static RouteGroupBuilder MapInvitations(this RouteGroupBuilder api)
    {
        api.MapPost("/invitations", CreateAsync).WithName("CreateInvitation");
        api.MapGet("/invitations", async (SignetDbContext db, CancellationToken cancellationToken) =>
            TypedResults.Ok(await db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt)
                .Select(i => new InvitationDto(i.Id, i.Uses, i.UsesRemaining, i.CreatedAt, i.ExpiresAt, i.CreatedBy))
                .ToListAsync(cancellationToken))).WithName("ListInvitations");
        api.MapDelete("/invitations/{code}", DeleteAsync).WithName("DeleteInvitation");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateInvitationRequest? request, SignetDbContext db, AuditLog audit,
        TimeProvider time, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var uses = request?.Uses ?? 1;
        var expiresAt = request?.ExpiresAt?.ToUniversalTime() ?? now.AddDays(7);
        var errors = new Dictionary<string, string[]>();
        if (uses is < 1 or > 100_000)
        {
            errors["uses"] = ["Must be between 1 and 100000."];
        }

        if (expiresAt <= now || expiresAt > now.AddDays(366))
        {
            errors["expiresAt"] = ["Must be in the future and at most a year away."];
        }

        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors);
        }

        var code = InvitationCodes.NewCode();
        var invitation = new Invitation
        {
            Id = InvitationCodes.NewId(),
            CodeHash = InvitationCodes.Hash(code),
            Uses = uses,
            UsesRemaining = uses,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            CreatedBy = user.Identity?.Name ?? "unknown",
        };
        db.Invitations.Add(invitation);
        audit.Record(invitation.CreatedBy, AuditActions.InvitationCreated, invitation.Id, $"uses={uses}; expiresAt={expiresAt:O}");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", new CreateInvitationResponse(code, uses, expiresAt));
    }

    private static async Task<IResult> DeleteAsync(string code, SignetDbContext db, AuditLog audit, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        var hash = InvitationCodes.Hash(code);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.CodeHash == hash || i.Id == code, cancellationToken);
        if (invitation is null)
        {
            return ProblemResults.NotFound("No invitation has that code or id.");
        }

        db.Invitations.Remove(invitation);
        audit.Record(user.Identity?.Name ?? "unknown", AuditActions.InvitationDeleted, invitation.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
