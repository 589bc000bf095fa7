using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The computers, searchable by name, UDID or serial number, a page at a time.</summary>
internal sealed class IndexModel(ComputerQueries computers) : PageModel
{
    public string? Search { get; private set; }
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
        Pages = new PagerView(pager, "/console/computers", new Dictionary<string, string?> { ["search"] = Search });
    }
}
