using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Signet.Server.AdminApi;

namespace Signet.Server.WebConsole.Pages;

/// <summary>Signs an administrator in with the same checks (the same lockout and the same per-address limit) as the token
/// endpoint.</summary>
[EnableRateLimiting(LoginRateLimitPolicy.Name)]
internal sealed class LoginModel(AdminLogin login, IOptions<AdminOptions> options) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }


    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password) || Username.Length > 64 || Password.Length > 1024)
        {
            Error = "Enter your username and password.";
            return Page();
        }

        var address = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var result = await login.CheckAsync(Username, Password, address, cancellationToken);
        if (result.User is not { } user)
        {
            Error = result.Status switch
            {
                LoginStatus.LockedOut => Locked(),
                LoginStatus.AddressLockedOut =>
                    $"Too many failed logins from this address; try again in {options.Value.LockoutMinutes} minutes.",
                _ when result.JustLocked => Locked(),
                _ => "The username or password is wrong.",
            };
            Password = null;
            return Page();
        }

        await ConsoleSession.SignInAsync(HttpContext, user.Username, user.SecurityStamp);
        return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : ConsoleExtensions.PathPrefix);
    }

    private string Locked() => $"The account is locked after repeated failed logins; try again in {options.Value.LockoutMinutes} minutes.";
}
