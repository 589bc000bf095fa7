using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Signet.Protocol;

namespace Signet.Server.Problems;

/// <summary>A request the client broke (a body that arrived too slowly or ended early, one too large for Kestrel, JSON
/// the endpoint cannot bind) is the client's failure, not the server's: one information line without a stack trace, and
/// problem details with the status Kestrel chose (408, 400, 413). JSON that does not fit names the field at fault
/// (an unknown field in an admin body, a value of the wrong type). Handling it here keeps the exception handler from
/// logging it as an error.</summary>
internal sealed partial class ClientRequestErrors(IProblemDetailsService problems, ILogger<ClientRequestErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        RequestEndedByClient(logger, httpContext.Request.Method, httpContext.Request.Path, httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = bad.InnerException is JsonException json ? JsonProblem(json) : new() { Status = bad.StatusCode },
        });
    }

    /// <summary>The JSON reader's path (<c>$.expiresInDays</c>, <c>$.ids[2]</c>) names the field; its message names
    /// internal types, so only the path reaches the client.</summary>
    private static HttpValidationProblemDetails JsonProblem(JsonException exception)
    {
        var field = exception.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var unknown = exception.Message.Contains("could not be mapped", StringComparison.Ordinal);
        var (detail, error) = (field, unknown) switch
        {
            (null, _) => ("The body is not valid JSON of the expected shape.", "Send a JSON object of the documented shape."),
            (_, true) => ($"Unknown field '{field}': remove it or check its spelling against the API reference.", "Unknown field."),
            _ => ($"The field '{field}' has a value of the wrong type or format.", "Wrong type or format."),
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field ?? "body"] = [error] })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemCode.ValidationFailed.ToTypeUri(),
            Title = ProblemResults.Title(ProblemCode.ValidationFailed),
            Detail = detail,
        };
    }

    [LoggerMessage(701, LogLevel.Information, "Request {Method} {Path} from {Address} not completed by the client: {StatusCode} {Reason}")]
    private static partial void RequestEndedByClient(ILogger logger, string method, PathString path, string address, int statusCode, string reason);
}
