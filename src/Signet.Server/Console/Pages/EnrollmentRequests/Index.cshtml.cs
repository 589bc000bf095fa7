using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Enrollment;

namespace Signet.Server.WebConsole.Pages.EnrollmentRequests;

/// <summary>Enrollments of known computers held for an administrator (docs/lifecycle.md): the pending ones with the evidence
/// side by side and boxes to decide several at once; the approved, denied and expired ones for the record.</summary>
internal sealed class IndexModel(EnrollmentRequestQueries requests) : PageModel
{
    /// <summary>Enough for a school's summer re-imaging on one page; the count above the list says when there are more.</summary>
    public const int ListLimit = 200;

    public string Status { get; private set; } = EnrollmentRequestQueries.Pending;

    /// <summary>Only the requests claiming to be this computer, when set (the link from a computer's page).</summary>
    public string? ComputerId { get; private set; }
    public IReadOnlyList<EnrollmentRequestDto> Items { get; private set; } = [];
    public int PendingCount { get; private set; }

    [TempData]
    public string? Confirmation { get; set; }

    [TempData]
    public string? Warning { get; set; }

    public async Task OnGetAsync(string? status, string? computer, CancellationToken cancellationToken)
    {
        Status = EnrollmentRequestQueries.Statuses.Contains(status) ? status! : EnrollmentRequestQueries.Pending;
        ComputerId = string.IsNullOrWhiteSpace(computer) ? null : computer;
        Items = await requests.ListAsync(Status, ComputerId, ListLimit, cancellationToken);
        PendingCount = await requests.CountPendingAsync(cancellationToken);
    }

    /// <summary>This list's address with another status, keeping the computer filter.</summary>
    public string StatusUrl(string status) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/enrollment-requests",
            new Dictionary<string, string?> { ["status"] = status == EnrollmentRequestQueries.Pending ? null : status, ["computer"] = ComputerId }
                .Where(kv => kv.Value is not null));
}
