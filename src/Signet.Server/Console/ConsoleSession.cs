using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Signet.Server.AdminApi;

namespace Signet.Server.WebConsole;

/// <summary>Console sessions: a cookie naming the administrator and the account's security stamp it was issued under.</summary>
internal static class ConsoleSession
{
    private const string StampClaim = "signet:security-stamp";

    public static Task SignInAsync(HttpContext context, string username, string stamp)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, username), new Claim(StampClaim, stamp)], ConsoleExtensions.SchemeName);
        return context.SignInAsync(ConsoleExtensions.SchemeName, new ClaimsPrincipal(identity));
    }

    /// <summary>Ends the session when the account is gone or its password changed since sign-in (in another session).</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var username = context.Principal?.Identity?.Name;
        var stamp = context.Principal?.FindFirst(StampClaim)?.Value;
        var login = context.HttpContext.RequestServices.GetRequiredService<AdminLogin>();
        if (username is null || stamp is null ||
            await login.SecurityStampAsync(username, context.HttpContext.RequestAborted) != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(ConsoleExtensions.SchemeName);
        }
    }
}
