using Microsoft.AspNetCore.Mvc.Filters;

namespace Signet.Server.WebConsole;

/// <summary>Response headers for every console page: the pages load only their own stylesheet and script, post only to themselves
/// and may not be framed (the Revoke and Save buttons must not be clickjacked).</summary>
internal sealed class ConsoleSecurityHeaders : IResultFilter
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public void OnResultExecuting(ResultExecutingContext context)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // Antiforgery's own value: any other makes it log a warning as it overrides the header on pages with a form.
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
