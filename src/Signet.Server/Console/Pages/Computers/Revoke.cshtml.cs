using Microsoft.AspNetCore.Mvc;
using Signet.Server.Computers;
using Signet.Server.Lifecycle;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The confirmation step before revoking: GET asks, POST revokes through the same service as the admin API.</summary>
internal sealed class RevokeModel(ComputerQueries computers, CertificateLifecycle lifecycle) : ComputerPageModel(computers)
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await TryLoadAsync(id, cancellationToken) ? Page() : ComputerNotFound();

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var result = await lifecycle.RevokeAsync(id, LifecycleActor.Admin(HttpContext), cancellationToken);
        switch (result.Status)
        {
            case RevocationStatus.Revoked:
                Confirmation = $"{ConsoleFormat.Revoked(result.RevokedSerialNumbers)}; this computer's requests are refused until it enrolls again.";
                return Redirect($"/console/computers/{Uri.EscapeDataString(id)}");
            case RevocationStatus.NothingToRevoke when await TryLoadAsync(id, cancellationToken):
                Error = "This computer has no current certificate to revoke.";
                return Page();
            default:
                return ComputerNotFound();
        }
    }
}
