using Microsoft.Net.Http.Headers;
using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.Hosting;

/// <summary>What every response and request goes through before any feature sees it: the client's address from a
/// trusted proxy, HSTS on https, <c>nosniff</c>, and no request framed two ways.</summary>
internal static class HttpHardening
{
    private const string KestrelRenamedContentLength = "X-Content-Length";

    public static WebApplicationBuilder AddHttpHardening(this WebApplicationBuilder builder)
    {
        builder.AddTrustedProxies();
        // The framework's defaults leave out localhost, 127.0.0.1 and ::1 (a browser would apply it to every local
        // port); any other name gets a year.
        builder.Services.AddHsts(hsts => hsts.MaxAge = TimeSpan.FromDays(365));
        return builder;
    }

    public static WebApplication UseHttpHardening(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.Use(static (context, next) =>
        {
            // Set as the response starts, so error responses written after a Clear() carry it too.
            context.Response.OnStarting(static state =>
            {
                ((HttpResponse)state).Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context.Response);
            return next(context);
        });
        app.UseHsts();
        app.Use(RefuseAmbiguousFraming);
        return app;
    }

    /// <summary>A request with both Content-Length and Transfer-Encoding can be read two ways (RFC 9112 §6.3); a proxy
    /// in front that reads it the other way is how requests are smuggled, so it is refused before anything reads it.
    /// Kestrel itself (10.0) reads such a request as chunked, closes the connection afterwards, and hands the
    /// application the Content-Length renamed to <c>X-Content-Length</c>; a server in front of it may pass both on as they came.</summary>
    private static Task RefuseAmbiguousFraming(HttpContext context, RequestDelegate next)
    {
        var headers = context.Request.Headers;
        if (!headers.ContainsKey(HeaderNames.TransferEncoding) ||
            (headers.ContentLength is null && !headers.ContainsKey(KestrelRenamedContentLength)))
        {
            return next(context);
        }

        context.Response.Headers.Connection = "close";
        return ProblemResults.WriteAsync(context, ProblemCode.ValidationFailed, StatusCodes.Status400BadRequest,
            "A request may not carry both Content-Length and Transfer-Encoding: send one of them.");
    }
}
