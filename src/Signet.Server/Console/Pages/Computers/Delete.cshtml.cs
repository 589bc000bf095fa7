using Microsoft.AspNetCore.Mvc;
using Signet.Server.Computers;
using Signet.Server.Lifecycle;

namespace Signet.Server.WebConsole.Pages.Computers;

/// <summary>The confirmation step before deleting a computer: GET asks, POST deletes through the lifecycle owner (its
/// certificates are revoked) and the computers list confirms.</summary>
internal sealed class DeleteModel(ComputerQueries computers, CertificateLifecycle lifecycle) : ComputerPageModel(computers)
{
    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken) =>
        await TryLoadAsync(id, cancellationToken) ? Page() : ComputerNotFound();

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        // Loaded first: afterwards the computer is gone and the confirmation still has to name it.
        if (!await TryLoadAsync(id, cancellationToken) || !await lifecycle.DeleteAsync(id, LifecycleActor.Admin(HttpContext), cancellationToken))
        {
            return ComputerNotFound();
        }

        Confirmation = $"{Computer.Hostname ?? Computer.Udid} was deleted and its certificates revoked. " +
            "It can come back only by enrolling with a new invitation.";
        return Redirect("/console/computers");
    }
}
