using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>One computer: identity, inventory summary, its certificate and certificate history.</summary>
internal sealed class DetailsModel(ComputerQueries computers) : PageModel
{
    public ComputerDto Computer { get; private set; } = null!;

    /// <summary>No computer has the requested id: the page says so (with status 404).</summary>
    public bool Missing { get; private set; }
    public LatestInventory? Inventory { get; private set; }
    public IReadOnlyList<CertificateHistoryItem> History { get; private set; } = [];

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await computers.GetAsync(id, cancellationToken) is not { } computer)
        {
            return ComputerNotFound();
        }

        Computer = computer;
        Inventory = await computers.LatestInventoryAsync(id, cancellationToken);
        History = await computers.CertificateHistoryAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>A 404 with a page a person can read (an empty 404 would become a JSON problem).</summary>
    private PageResult ComputerNotFound()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Missing = true;
        return Page();
    }
}
