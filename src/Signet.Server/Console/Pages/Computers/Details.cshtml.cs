using Microsoft.AspNetCore.Mvc;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Enrollment;
using Signet.Server.Invitations;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>One computer: identity, inventory summary, its certificate and certificate history, the enrollments of it
/// that wait for approval; re-enrollment invitations are created here.</summary>
internal sealed class DetailsModel(ComputerQueries computers, EnrollmentRequestQueries requests, InvitationService invitations, ICaSigner ca,
    Signet.Server.Audit.AuditQuery audit) : ComputerPageModel(computers)
{
    /// <summary>The newest audit events of the computer the page shows; the audit log filtered by it has the rest.</summary>
    public const int EventLimit = 100;

    /// <summary>More held requests than one computer plausibly has; the list page shows them all.</summary>
    public const int PendingListLimit = 100;

    public LatestInventory? Inventory { get; private set; }
    public IReadOnlyList<CertificateHistoryItem> History { get; private set; } = [];
    public IReadOnlyList<EnrollmentRequestDto> PendingRequests { get; private set; } = [];

    /// <summary>Refusal summaries filed under this computer (its UDID or its certificate's keyid named it).</summary>
    public IReadOnlyList<Signet.Server.Audit.AuditEventDto> Refusals { get; private set; } = [];

    /// <summary>Its other audit events: enrollment, renewals, revocation, held requests.</summary>
    public IReadOnlyList<Signet.Server.Audit.AuditEventDto> Timeline { get; private set; } = [];

    /// <summary>The inventory search term; the lists show only matching rows.</summary>
    public string? InventorySearch { get; private set; }

    /// <summary>The command with a new re-enrollment invitation's code, set only in the response that created it.</summary>
    public string? ReenrollCommand { get; private set; }
    public DateTimeOffset ReenrollExpiresAt { get; private set; }

    public Task<IActionResult> OnGetAsync(string id, string? q, CancellationToken cancellationToken)
    {
        InventorySearch = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        return LoadAsync(id, cancellationToken);
    }

    /// <summary>True when <paramref name="values"/> contain the inventory search term (or there is none).</summary>
    public bool Matches(params object?[] values) => InventorySearch is not { } term ||
        values.Any(v => v?.ToString()?.Contains(term, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Allow re-enrollment: a one-use, 24-hour invitation only this computer can use. The code is shown in this
    /// response only (the server keeps its hash), so this answers with the page rather than a redirect.</summary>
    public async Task<IActionResult> OnPostAllowReenrollmentAsync(string id, CancellationToken cancellationToken)
    {
        var actor = Lifecycle.LifecycleActor.Admin(HttpContext);
        if (await invitations.CreateReenrollmentAsync(id, actor.Name, actor.SourceAddress, cancellationToken) is
            { Invitation: { } invitation, Code: { } code })
        {
            ReenrollCommand = EnrollCommand.For(Request, code, ca.Certificate);
            ReenrollExpiresAt = invitation.ExpiresAt;
        }

        return await LoadAsync(id, cancellationToken);
    }

    private async Task<IActionResult> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!await TryLoadAsync(id, cancellationToken))
        {
            return ComputerNotFound();
        }

        Inventory = await Queries.LatestInventoryAsync(id, cancellationToken);
        History = await Queries.CertificateHistoryAsync(id, cancellationToken);
        PendingRequests = await requests.ListAsync(EnrollmentRequestQueries.Pending, id, PendingListLimit, cancellationToken);
        var events = (await audit.SearchAsync(new Signet.Server.Audit.AuditFilter(Subject: id), 0, EventLimit, cancellationToken)).Items;
        Refusals = [.. events.Where(e => e.Action == Signet.Server.Audit.AuditActions.RequestsRefused)];
        Timeline = [.. events.Where(e => e.Action != Signet.Server.Audit.AuditActions.RequestsRefused)];
        return Page();
    }
}
