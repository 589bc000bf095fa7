using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Computers;
using Signet.Server.Lifecycle;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The confirmation step before revoking: GET asks, POST revokes through the same service as the admin API.</summary>
internal sealed class RevokeModel(ComputerQueries computers, CertificateLifecycle lifecycle) : PageModel
{
    public ComputerDto Computer { get; private set; } = null!;

    /// <summary>No computer has the requested id: the page says so (with status 404).</summary>
    public bool Missing { get; private set; }
    public string? Error { get; private set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await computers.GetAsync(id, cancellationToken) is not { } computer)
        {
            return ComputerNotFound();
        }

        Computer = computer;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var result = await lifecycle.RevokeAsync(id, LifecycleActor.Admin(HttpContext), cancellationToken);
        switch (result.Status)
        {
            case RevocationStatus.Revoked:
                Confirmation = $"Certificate {string.Join(", ", result.RevokedSerialNumbers)} was revoked; this computer's requests are refused until it enrolls again.";
                return Redirect($"/console/computers/{Uri.EscapeDataString(id)}");
            case RevocationStatus.ComputerNotFound:
                return ComputerNotFound();
            default:
                Computer = (await computers.GetAsync(id, cancellationToken))!;
                Error = "This computer has no current certificate to revoke.";
                return Page();
        }
    }

    /// <summary>A 404 with a page a person can read (an empty 404 would become a JSON problem).</summary>
    private PageResult ComputerNotFound()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        Missing = true;
        return Page();
    }
}
