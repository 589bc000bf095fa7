using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Signet.Server.WebConsole.Pages;

/// <summary>Ends the console session. Only a POST (with its antiforgery token) logs out, so a link elsewhere cannot.</summary>
internal sealed class LogoutModel : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleExtensions.SchemeName);
        return LocalRedirect(ConsoleExtensions.LoginPath);
    }
}
