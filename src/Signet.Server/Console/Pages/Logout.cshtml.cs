using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.WebConsole.Pages;

/// <summary>Ends the console session. Only a POST (with its antiforgery token) logs out, so a link elsewhere cannot.</summary>
internal sealed class LogoutModel(AuditLog audit, SignetDbContext db) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.Identity?.Name is { } username)
        {
            audit.Record(username, AuditActions.LoggedOut, username);
            await db.SaveChangesAsync(cancellationToken);
        }

        await HttpContext.SignOutAsync(ConsoleExtensions.SchemeName);
        return LocalRedirect(ConsoleExtensions.LoginPath);
    }
}
