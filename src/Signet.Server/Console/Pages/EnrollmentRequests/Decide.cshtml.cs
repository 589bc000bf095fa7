using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Enrollment;
using Signet.Server.Lifecycle;

namespace Signet.Server.WebConsole.Pages.EnrollmentRequests;

/// <summary>The confirmation step before approving or denying one or several held requests: GET (one request, from its
/// link) or POST without <c>confirmed</c> (the selection of the list) asks; POST with <c>confirmed</c> decides each
/// through the lifecycle owner, the same as the admin API, and the list shows what became of each.</summary>
internal sealed class DecideModel(EnrollmentRequestQueries requests, CertificateLifecycle lifecycle) : PageModel
{
    public const string Approve = "approve";
    public const string Deny = "deny";

    /// <summary>The admin API's batch limit; the list never offers more than its own page.</summary>
    public const int MaximumBatch = 1_000;

    public string Decision { get; private set; } = Approve;
    public bool Approving => Decision == Approve;

    /// <summary>The selected requests that still exist, open ones first.</summary>
    public IReadOnlyList<EnrollmentRequestDto> Selected { get; private set; } = [];
    public IReadOnlyList<EnrollmentRequestDto> Open => [.. Selected.Where(r => r.Status == EnrollmentRequestQueries.Pending)];
    public IReadOnlyList<EnrollmentRequestDto> Closed => [.. Selected.Where(r => r.Status != EnrollmentRequestQueries.Pending)];

    /// <summary>None of the requested ids exists: the page says so (with status 404).</summary>
    public bool Missing { get; private set; }

    [TempData]
    public string? Confirmation { get; set; }

    [TempData]
    public string? Warning { get; set; }

    public Task<IActionResult> OnGetAsync(string decision, string[] id, CancellationToken cancellationToken) =>
        AskAsync(decision, id, cancellationToken);

    /// <summary>The list posts its selection here to be asked about (hundreds of ids do not fit in an address); the
    /// question posts it back with <c>confirmed</c>.</summary>
    public async Task<IActionResult> OnPostAsync(string decision, string[] id, bool confirmed, CancellationToken cancellationToken)
    {
        if (!confirmed)
        {
            return await AskAsync(decision, id, cancellationToken);
        }

        if (!IsDecision(decision))
        {
            return NotFoundPage();
        }

        if (Selection(id) is not { } ids)
        {
            return BackToList();
        }

        Decision = decision;
        var done = new List<string>();
        var notDone = new List<string>();
        var found = 0;
        foreach (var (requestId, outcome) in await lifecycle.DecideAllAsync(ids, Approving, LifecycleActor.Admin(HttpContext), cancellationToken))
        {
            found += outcome.Status == DecisionStatus.NotFound ? 0 : 1;
            switch (outcome)
            {
                case { Status: DecisionStatus.Done, Request: { } request }:
                    done.Add(Approving
                        ? $"Approved the enrollment of {NameOf(request)}: the computer receives its new certificate (serial {outcome.IssuedSerialNumber}) " +
                            "on its next poll, and its earlier certificates no longer work."
                        : $"Denied the enrollment of {NameOf(request)}: its agent is refused (enrollment-denied) on its next poll; " +
                            "the enrolled computer keeps its certificate.");
                    break;
                case { Status: DecisionStatus.AlreadyDecided, Request: { } request }:
                    notDone.Add($"The enrollment of {NameOf(request)} was already {Settled(request)}: nothing changed.");
                    break;
                default:
                    notDone.Add($"Enrollment request {requestId} no longer exists: nothing changed.");
                    break;
            }
        }

        if (found == 0)
        {
            return NotFoundPage();
        }

        Confirmation = done.Count > 0 ? string.Join('\n', done) : null;
        Warning = notDone.Count > 0 ? string.Join('\n', notDone) : null;
        return Redirect("/console/enrollment-requests");
    }

    private async Task<IActionResult> AskAsync(string decision, string[] id, CancellationToken cancellationToken)
    {
        if (!IsDecision(decision))
        {
            return NotFoundPage();
        }

        if (Selection(id) is not { } ids)
        {
            return BackToList();
        }

        Decision = decision;
        var selected = new List<EnrollmentRequestDto>();
        foreach (var requestId in ids)
        {
            if (await requests.GetAsync(requestId, cancellationToken) is { } request)
            {
                selected.Add(request);
            }
        }

        if (selected.Count == 0)
        {
            return NotFoundPage();
        }

        Selected = [.. selected.OrderBy(r => r.Status != EnrollmentRequestQueries.Pending)];
        return Page();
    }

    private static bool IsDecision(string decision) => decision is Approve or Deny;

    /// <summary>The distinct ids, or null (with the reason for the list page) when there are none or too many.</summary>
    private List<string>? Selection(string[] id)
    {
        var ids = id.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count is 0 or > MaximumBatch)
        {
            Warning = ids.Count == 0
                ? "Select at least one enrollment request first."
                : $"At most {MaximumBatch} enrollment requests can be decided at once.";
            return null;
        }

        return ids;
    }

    private RedirectResult BackToList() => Redirect("/console/enrollment-requests");

    private static string NameOf(EnrollmentRequest request) => request.Hostname ?? request.Udid;

    private static string Settled(EnrollmentRequest request) => request.Status switch
    {
        EnrollmentRequestStatus.Approved => $"approved by {request.DecidedBy} at {ConsoleFormat.Time(request.DecidedAt)}",
        EnrollmentRequestStatus.Denied => $"denied by {request.DecidedBy} at {ConsoleFormat.Time(request.DecidedAt)}",
        _ => $"expired at {ConsoleFormat.Time(request.ExpiresAt)} without a decision",
    };

    /// <summary>A 404 with a page a person can read (an empty 404 would become a JSON problem).</summary>
    private PageResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Missing = true;
        return Page();
    }
}
