using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.AdminApi;

namespace Signet.Server.WebConsole.Pages;

internal sealed class ChangePasswordModel(AdminLogin login) : PageModel
{
    [BindProperty]
    public string? CurrentPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public string? Message { get; private set; }
    public bool Changed { get; private set; }


    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(CurrentPassword) || string.IsNullOrEmpty(NewPassword))
        {
            Message = "Enter your current password and a new one.";
            return Page();
        }

        if (NewPassword != ConfirmPassword)
        {
            Message = "The new password and its confirmation differ.";
            return Page();
        }

        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var status = await login.ChangePasswordAsync(User.Identity?.Name ?? "", CurrentPassword, NewPassword, address, cancellationToken);
        Changed = status == PasswordChangeStatus.Changed;
        if (Changed && await login.SecurityStampAsync(User.Identity?.Name ?? "", cancellationToken) is { } stamp)
        {
            // Every token and every other session ended with the old stamp; this one continues under the new stamp.
            await ConsoleSession.SignInAsync(HttpContext, User.Identity!.Name!, stamp);
        }

        Message = status switch
        {
            PasswordChangeStatus.Changed => "Your password was changed.",
            PasswordChangeStatus.WrongPassword => "The current password is wrong.",
            PasswordChangeStatus.LockedOut => "The account is locked after repeated failed attempts; try again later.",
            _ => $"Choose a new password of at least {AdminLogin.MinimumPasswordLength} characters that differs from the current one.",
        };
        return Page();
    }
}
