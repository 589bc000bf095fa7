using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.CertificateAuthority;
using Signet.Server.Invitations;

namespace Signet.Server.WebConsole.Pages.Invitations;

/// <summary>Enrollment invitations: create one (with a name) and copy its enroll command (the code is shown only then);
/// the usable ones listed apart from the used-up and expired ones; delete after a confirmation.</summary>
internal sealed class IndexModel(InvitationService invitations, ICaSigner ca, TimeProvider time) : PageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public int? Uses { get; set; } = InvitationService.DefaultUses;

    [BindProperty]
    public int? ExpiresInDays { get; set; } = (int)InvitationService.DefaultLifetime.TotalDays;

    /// <summary>Invitations that can still enroll a computer.</summary>
    public IReadOnlyList<InvitationDto> Items { get; private set; } = [];

    /// <summary>Used up or expired: kept for the record until deleted.</summary>
    public IReadOnlyList<InvitationDto> Finished { get; private set; } = [];
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    /// <summary>The ready-to-copy command, set only in the response to a successful create.</summary>
    public string? EnrollCommand { get; private set; }

    /// <summary>Installs the agent from this server, then enrolls with the same code (Invitations/InstallCommand).</summary>
    public string? InstallCommand { get; private set; }
    public InvitationDto? Created { get; private set; }

    [TempData]
    public string? Confirmation { get; set; }

    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (Uses is null)
        {
            FieldErrors[nameof(Uses)] = "Enter a whole number of uses.";
        }

        if (ExpiresInDays is null)
        {
            FieldErrors[nameof(ExpiresInDays)] = "Enter a whole number of days.";
        }

        if (FieldErrors.Count == 0)
        {
            // Clamped only so AddDays cannot overflow; the service decides what is allowed.
            var created = await invitations.CreateAsync(Uses, time.GetUtcNow().AddDays(Math.Clamp(ExpiresInDays!.Value, -1, 100_000)),
                User.Identity?.Name ?? "unknown", cancellationToken, Name);
            if (created is { Invitation: { } invitation, Code: { } code })
            {
                // Shown in this response only: the server keeps just the code's hash.
                EnrollCommand = WebConsole.EnrollCommand.For(Request, code, ca.Certificate);
                InstallCommand = Signet.Server.Invitations.InstallCommand.For(Request, code, ca.Certificate);
                Created = new InvitationDto(invitation.Id, invitation.Uses, invitation.UsesRemaining, invitation.CreatedAt,
                    invitation.ExpiresAt, invitation.CreatedBy, Name: invitation.Name);
            }

            foreach (var (field, messages) in created.Errors)
            {
                FieldErrors[field switch { "expiresAt" => nameof(ExpiresInDays), "name" => nameof(Name), _ => nameof(Uses) }] = string.Join(' ', messages);
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        var all = await invitations.ListAsync(cancellationToken);
        Items = [.. all.Where(i => i.IsUsable(Now))];
        Finished = [.. all.Where(i => !i.IsUsable(Now))];
    }
}
