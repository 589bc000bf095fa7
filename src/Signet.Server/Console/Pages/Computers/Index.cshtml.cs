using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;
using Signet.Server.Enrollment;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The computers, searchable by name, UDID or serial number, a page at a time; and how many enrollments of known
/// computers wait for an administrator.</summary>
internal sealed class IndexModel(ComputerQueries computers, EnrollmentRequestQueries requests) : PageModel
{
    public string? Search { get; private set; }
    public int PendingRequests { get; private set; }

    /// <summary>Set by the page that deleted a computer.</summary>
    [TempData]
    public string? Confirmation { get; set; }
    public IReadOnlyList<ComputerDto> Items { get; private set; } = [];
    public PagerView Pages { get; private set; } = null!;

    public async Task OnGetAsync(string? search, int? pageNumber, CancellationToken cancellationToken)
    {
        Search = search?.Trim();
        var pager = new Pager(Pager.Requested(pageNumber), Pager.DefaultPageSize, 0);
        var result = await computers.ListAsync(Search, pager.Skip, pager.PageSize, cancellationToken);
        pager = (pager with { Total = result.Total }).Clamped();
        if (result.Items.Count == 0 && result.Total > 0)
        {
            result = await computers.ListAsync(Search, pager.Skip, pager.PageSize, cancellationToken);
        }

        Items = result.Items;
        PendingRequests = await requests.CountPendingAsync(cancellationToken);
        Pages = new PagerView(pager, "/console/computers", new Dictionary<string, string?> { ["search"] = Search });
    }
}
