using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Signet.Server.WebConsole.Pages;

/// <summary>Any console address no page matches: a page a person can read, with status 404, instead of the API's JSON
/// problem.</summary>
internal sealed class NotFoundModel : PageModel
{
    public string Path { get; private set; } = "";

    public void OnGet()
    {
        Path = Request.Path;
        Response.StatusCode = StatusCodes.Status404NotFound;
    }
}
