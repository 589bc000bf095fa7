using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Invitations;

namespace Signet.Server.WebConsole.Pages.Invitations;

/// <summary>The confirmation step before deleting an invitation: GET asks, POST deletes and the list confirms.</summary>
internal sealed class DeleteModel(InvitationService invitations) : PageModel
{
    public InvitationDto? Invitation { get; private set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        Invitation = await invitations.FindAsync(id, cancellationToken);
        if (Invitation is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var invitation = await invitations.FindAsync(id, cancellationToken);
        Confirmation = invitation is not null && await invitations.DeleteAsync(id, User.Identity?.Name ?? "unknown", cancellationToken)
            ? $"Invitation {invitation.Name ?? invitation.Id} was deleted: its code enrolls nothing any more."
            : $"Invitation {id} no longer exists.";
        return Redirect("/console/invitations");
    }
}
