using System.Security.Claims;
using Signet.Server.Problems;

namespace Signet.Server.Invitations;

/// <summary><c>name</c> is optional: what the administrator calls the invitation in lists.</summary>
internal sealed record CreateInvitationRequest(int? Uses, DateTimeOffset? ExpiresAt, string? Name = null);

internal sealed record CreateInvitationResponse(string Code, int Uses, DateTimeOffset ExpiresAt, string? Name = null);

/// <summary>An invitation as listed: never the code, only its id.</summary>
internal sealed record InvitationDto(string Id, int Uses, int UsesRemaining, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy,
    string? ComputerId = null, string? Name = null)
{
    /// <summary>Can still enroll a computer at <paramref name="now"/>: uses left and not expired.</summary>
    public bool IsUsable(DateTimeOffset now) => UsesRemaining > 0 && ExpiresAt > now;
}

internal static class InvitationEndpoints
{
    public static RouteGroupBuilder MapInvitations(this RouteGroupBuilder api)
    {
        api.MapPost("/invitations", CreateAsync).WithName("CreateInvitation")
            .WithSummary("Create an invitation (default: one use, seven days); the code is shown only in this answer");
        api.MapGet("/invitations", async (InvitationService invitations, CancellationToken cancellationToken) =>
            TypedResults.Ok(await invitations.ListAsync(cancellationToken))).WithName("ListInvitations")
            .WithSummary("List invitations (ids, never codes)");
        api.MapDelete("/invitations/{code}", DeleteAsync).WithName("DeleteInvitation")
            .WithSummary("Delete an invitation by its code or id");
        return api;
    }

    private static async Task<IResult> CreateAsync(CreateInvitationRequest? request, InvitationService invitations,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var created = await invitations.CreateAsync(request?.Uses, request?.ExpiresAt, user.Identity?.Name ?? "unknown", cancellationToken,
            request?.Name);
        if (created.Invitation is not { } invitation || created.Code is not { } code)
        {
            return ProblemResults.Validation(new Dictionary<string, string[]>(created.Errors));
        }

        return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", new CreateInvitationResponse(code, invitation.Uses, invitation.ExpiresAt, invitation.Name));
    }

    private static async Task<IResult> DeleteAsync(string code, InvitationService invitations, ClaimsPrincipal user,
        CancellationToken cancellationToken) =>
        await invitations.DeleteAsync(code, user.Identity?.Name ?? "unknown", cancellationToken)
            ? TypedResults.NoContent()
            : ProblemResults.NotFound("No invitation has that code or id.");
}
