using System.Threading.RateLimiting;
using Signet.Protocol;

namespace Signet.Server.Problems;

internal static class ProblemsExtensions
{
    /// <summary>Every error response becomes problem details with a Signet type, including the framework's own
    /// (404, 405, 413, unreadable bodies) and unhandled exceptions (no stack trace, ever).</summary>
    public static WebApplicationBuilder AddSignetProblems(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var details = context.ProblemDetails;
            var status = details.Status ?? context.HttpContext.Response.StatusCode;
            if (details.Type is null || !details.Type.StartsWith(ProblemCodes.TypePrefix, StringComparison.Ordinal))
            {
                var code = status switch
                {
                    StatusCodes.Status404NotFound => ProblemCode.NotFound,
                    StatusCodes.Status429TooManyRequests => ProblemCode.RateLimited,
                    StatusCodes.Status503ServiceUnavailable => ProblemCode.ServiceUnavailable,
                    >= 500 => ProblemCode.ServerError,
                    _ => ProblemCode.ValidationFailed,
                };
                details.Type = code.ToTypeUri();
                details.Title ??= ProblemCatalog.Of(code).Title;
                details.Detail ??= Sentence(status, context.Exception);
            }

            ProblemResults.NoteCode(context.HttpContext, details.Type);
            // The framework adds exception details in Development; clients never get them.
            details.Extensions.Remove("exception");
            details.Extensions.Remove("traceId");
        });
        builder.Services.AddExceptionHandler<ClientRequestErrors>();
        // A body or parameter the framework cannot bind reaches ClientRequestErrors, which names the field at fault
        // (by default the framework answers a bare 400 and keeps the reason to itself).
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        // Every rate limiter's refusal is a rate-limited problem that says when to come back.
        builder.Services.AddRateLimiter(limiter => limiter.OnRejected = (context, _) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter =
                    ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return new ValueTask(ProblemResults.WriteAsync(context.HttpContext, ProblemCode.RateLimited,
                StatusCodes.Status429TooManyRequests, "Too many requests from this address: wait a minute and try again."));
        });
        return builder;
    }

    public static WebApplication UseSignetProblems(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = StatusFor });
        app.UseStatusCodePages();
        return app;
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        DependencyUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string Sentence(int status, Exception? exception) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read: check that the body is valid JSON of the expected shape.",
        StatusCodes.Status401Unauthorized => "Authentication is required: send a valid bearer token.",
        StatusCodes.Status403Forbidden => "You are not allowed to do this.",
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that HTTP method.",
        StatusCodes.Status408RequestTimeout => "The request arrived too slowly and timed out: send it again.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        StatusCodes.Status429TooManyRequests => "Too many requests: wait a minute and try again.",
        >= 500 when exception is not null => "The server could not complete the request; the error was logged.",
        >= 500 => "The server could not complete the request.",
        _ => "The request failed.",
    };
}
