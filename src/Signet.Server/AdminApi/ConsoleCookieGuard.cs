using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;

namespace Signet.Server.AdminApi;

/// <summary>The admin API takes the console's cookie for reading (GET, HEAD) only. A browser attaches the cookie to
/// requests other pages make too (SameSite=Strict does not stop a same-site sibling origin), so a change made with the
/// cookie needs proof that the console itself sent it: the browser's <c>Sec-Fetch-Site: same-origin</c>, an
/// <c>Origin</c> equal to this server's, or the console's antiforgery token in the <c>RequestVerificationToken</c>
/// header. A bearer token is never sent by a browser on its own, so a request carrying a valid one passes.</summary>
internal sealed class ConsoleCookieGuard : AuthorizationHandler<ConsoleCookieGuard>, IAuthorizationRequirement
{
    public const string Refusal = "The console session may change things only from the console's own pages: this request " +
        "came from another origin. Scripts use a bearer token from POST /api/v1/auth/token.";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ConsoleCookieGuard requirement)
    {
        if (HasBearerToken(context.User) ||
            context.Resource is HttpContext http && (IsSafe(http.Request) || IsSameOrigin(http.Request) || await HasAntiforgeryTokenAsync(http)))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new AuthorizationFailureReason(this, Refusal));
    }

    private static bool HasBearerToken(ClaimsPrincipal user) =>
        user.Identities.Any(i => i.IsAuthenticated && i.AuthenticationType == AdminBearerHandler.SchemeName);

    private static bool IsSafe(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);

    /// <summary>The browser's own statement wins where it makes one; an older browser's Origin header otherwise.</summary>
    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site == "same-origin";
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, request.Scheme + "://" + request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Only the header form: the body of a refused request is never read.</summary>
    private static async Task<bool> HasAntiforgeryTokenAsync(HttpContext http)
    {
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        var header = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AntiforgeryOptions>>().Value.HeaderName;
        return header is not null && http.Request.Headers.ContainsKey(header) && await antiforgery.IsRequestValidAsync(http);
    }
}
