using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>A page about one computer, named by the route's id: it loads the computer, or answers with a 404 page a
/// person can read (an empty 404 would become a JSON problem).</summary>
internal abstract class ComputerPageModel(ComputerQueries queries) : PageModel
{
    protected ComputerQueries Queries { get; } = queries;

    public ComputerDto Computer { get; private set; } = null!;

    /// <summary>No computer has the requested id: the page says so (with status 404).</summary>
    public bool Missing { get; private set; }

    /// <summary>What the last action did, shown once on the next page.</summary>
    [TempData]
    public string? Confirmation { get; set; }

    /// <summary>Loads <see cref="Computer"/>; false when no computer has the id.</summary>
    protected async Task<bool> TryLoadAsync(string id, CancellationToken cancellationToken)
    {
        if (await Queries.GetAsync(id, cancellationToken) is not { } computer)
        {
            return false;
        }

        Computer = computer;
        return true;
    }

    protected PageResult ComputerNotFound()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Missing = true;
        return Page();
    }
}
