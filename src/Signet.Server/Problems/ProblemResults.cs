using Microsoft.AspNetCore.Http.HttpResults;
using Signet.Protocol;

namespace Signet.Server.Problems;

/// <summary>RFC 9457 results carrying a Signet problem code; the one place error responses are shaped.</summary>
internal static class ProblemResults
{
    private const string CodeItem = "signet.problem";

    public static ProblemHttpResult Create(ProblemCode code, int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: Title(code), type: code.ToTypeUri());

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = "The request is not valid.") =>
        TypedResults.ValidationProblem(errors, detail: detail, title: Title(ProblemCode.ValidationFailed),
            type: ProblemCode.ValidationFailed.ToTypeUri());

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult BadRequest(string detail) => Create(ProblemCode.ValidationFailed, StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult NotFound(string detail) => Create(ProblemCode.NotFound, StatusCodes.Status404NotFound, detail);

    /// <summary>A problem with the catalog's status and, unless given, its sentence.</summary>
    public static ProblemHttpResult Create(ProblemCode code, string? detail = null) =>
        Create(code, ProblemCatalog.Of(code).Status, detail ?? ProblemCatalog.Of(code).Sentence);

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiter).</summary>
    public static async Task WriteAsync(HttpContext context, ProblemCode code, int status, string detail,
        IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = status,
                Type = code.ToTypeUri(),
                Title = Title(code),
                Detail = detail,
                Extensions = extensions ?? new Dictionary<string, object?>(),
            },
        });
    }

    public static string Title(ProblemCode code) => ProblemCatalog.Of(code).Title;

    /// <summary>Remembers the code of the problem a response carries (called where every problem response is shaped), so
    /// the metrics can count it.</summary>
    public static void NoteCode(HttpContext context, string? type)
    {
        if (type is not null && type.StartsWith(ProblemCodes.TypePrefix, StringComparison.Ordinal))
        {
            context.Items[CodeItem] = type[ProblemCodes.TypePrefix.Length..];
        }
    }

    /// <summary>The code <see cref="NoteCode"/> remembered for this request, if any.</summary>
    public static string? NotedCode(HttpContext context) => context.Items[CodeItem] as string;
}
