using Microsoft.AspNetCore.Diagnostics;
using Signet.Server.Lifecycle;

namespace Signet.Server.Problems;

/// <summary>A request the client broke (a body that arrived too slowly or ended early, one too large for Kestrel) is
/// the client's failure, not the server's: one information line without a stack trace, and problem details with the
/// status Kestrel chose (408, 400, 413). Handling it here keeps the exception handler from logging it as an error.</summary>
internal sealed partial class ClientRequestErrors(IProblemDetailsService problems, ILogger<ClientRequestErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        RequestEndedByClient(logger, httpContext.Request.Method, httpContext.Request.Path, LifecycleActor.SourceOf(httpContext),
            bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode },
        });
    }

    [LoggerMessage(701, LogLevel.Information, "Request {Method} {Path} from {Address} not completed by the client: {StatusCode} {Reason}")]
    private static partial void RequestEndedByClient(ILogger logger, string method, PathString path, string address, int statusCode, string reason);
}
