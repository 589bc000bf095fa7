using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;
using Signet.Server.Enrollment;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The computers, status first: searchable, filtered by status, last contact, OS and certificate expiry (the
/// overview's counts link here with those filters), sortable, a page at a time, with a selection for bulk actions.</summary>
internal sealed class IndexModel(ComputerQueries computers, EnrollmentRequestQueries requests) : PageModel
{
    public ComputerFilter Filter { get; private set; } = new();
    public int PendingRequests { get; private set; }

    /// <summary>Set by the page that deleted a computer.</summary>
    [TempData]
    public string? Confirmation { get; set; }
    public IReadOnlyList<ComputerDto> Items { get; private set; } = [];
    public PagerView Pages { get; private set; } = null!;

    public bool Filtered => Filter != new ComputerFilter(Sort: Filter.Sort);

    public async Task OnGetAsync(string? search, string? status, int? notSeen, string? os, int? expiring, string? attention, string? sort,
        int? pageNumber, CancellationToken cancellationToken)
    {
        Filter = new ComputerFilter(Clean(search), Clean(status), notSeen, Clean(os), expiring, Clean(attention),
            ComputerFilter.SortKeys.Contains(sort?.TrimStart('-')) ? sort : null);
        var pager = new Pager(Pager.Requested(pageNumber), Pager.DefaultPageSize, 0);
        var result = await computers.ListAsync(Filter, pager.Skip, pager.PageSize, cancellationToken);
        pager = (pager with { Total = result.Total }).Clamped();
        if (result.Items.Count == 0 && result.Total > 0)
        {
            result = await computers.ListAsync(Filter, pager.Skip, pager.PageSize, cancellationToken);
        }

        Items = result.Items;
        PendingRequests = await requests.CountPendingAsync(cancellationToken);
        Pages = new PagerView(pager, "/console/computers", Query(Filter.Sort));
    }

    /// <summary>The list's address sorted by <paramref name="key"/>: ascending first, the same key again reverses.</summary>
    public string SortUrl(string key) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/computers",
        Query(Filter.Sort == key ? "-" + key : key).Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value));

    /// <summary><c>aria-sort</c> of a column header.</summary>
    public string AriaSort(string key) => Filter.Sort == key ? "ascending" : Filter.Sort == "-" + key ? "descending" : "none";

    private Dictionary<string, string?> Query(string? sort) => new()
    {
        ["search"] = Filter.Search,
        ["status"] = Filter.Status,
        ["notSeen"] = Filter.NotSeenDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["os"] = Filter.Os,
        ["expiring"] = Filter.ExpiringDays?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["attention"] = Filter.Attention,
        ["sort"] = sort,
    };

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
