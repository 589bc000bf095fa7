using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Invitations;
using Signet.Server.Lifecycle;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>One action on the computers selected in the list: the first POST asks (naming each computer), the second,
/// with <c>confirmed</c>, acts through the same owners as the single-computer pages and reports per computer.</summary>
internal sealed class BulkModel(ComputerQueries computers, CertificateLifecycle lifecycle, InvitationService invitations, ICaSigner ca)
    : PageModel
{
    public const string Revoke = "revoke";
    public const string Delete = "delete";
    public const string Reenroll = "reenroll";

    /// <summary>More than a page of the list could select.</summary>
    private const int MaximumSelection = 200;

    public string Operation { get; private set; } = "";
    public IReadOnlyList<ComputerDto> Selected { get; private set; } = [];

    /// <summary>After the action: one line per computer, and for re-enrollment the command to run on it.</summary>
    public IReadOnlyList<(ComputerDto Computer, string Outcome, string? Command)> Results { get; private set; } = [];
    public string? Error { get; private set; }

    public string Verb => Operation switch
    {
        Revoke => "Revoke the certificates of",
        Delete => "Delete",
        _ => "Allow re-enrollment of",
    };

    public IActionResult OnGet() => Redirect("/console/computers");

    public async Task<IActionResult> OnPostAsync(string? operation, string[]? ids, bool confirmed, CancellationToken cancellationToken)
    {
        Operation = operation is Revoke or Delete or Reenroll ? operation : "";
        var selected = new List<ComputerDto>();
        foreach (var id in (ids ?? []).Distinct(StringComparer.Ordinal).Take(MaximumSelection))
        {
            if (await computers.GetAsync(id, cancellationToken) is { } computer)
            {
                selected.Add(computer);
            }
        }

        Selected = selected;
        if (Operation.Length == 0 || Selected.Count == 0)
        {
            Error = Operation.Length == 0 ? "Choose an action for the selected computers." : "Select at least one computer in the list first.";
            return Page();
        }

        if (!confirmed)
        {
            return Page();
        }

        var actor = LifecycleActor.Admin(HttpContext);
        var results = new List<(ComputerDto, string, string?)>();
        foreach (var computer in Selected)
        {
            results.Add(Operation switch
            {
                Revoke => (await lifecycle.RevokeAsync(computer.Id, actor, cancellationToken)) is { Status: RevocationStatus.Revoked } revoked
                    ? (computer, ConsoleFormat.Revoked(revoked.RevokedSerialNumbers) + ".", null)
                    : (computer, "No current certificate to revoke.", null),
                Delete => await lifecycle.DeleteAsync(computer.Id, actor, cancellationToken)
                    ? (computer, "Deleted, its certificates revoked.", null)
                    : (computer, "Already gone.", null),
                _ => await invitations.CreateReenrollmentAsync(computer.Id, actor.Name, actor.SourceAddress, cancellationToken) is { Code: { } code, Invitation: { } invitation }
                    ? (computer, $"Re-enrollment invitation created, one use, expires {ConsoleFormat.Time(invitation.ExpiresAt)}.",
                        EnrollCommand.For(Request, code, ca.Certificate))
                    : (computer, "Already gone.", null),
            });
        }

        Results = results;
        return Page();
    }
}
