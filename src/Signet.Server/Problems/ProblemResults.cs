using Microsoft.AspNetCore.Http.HttpResults;
using Signet.Protocol;

namespace Signet.Server.Problems;

/// <summary>RFC 9457 results carrying a Signet problem code; the one place error responses are shaped.</summary>
internal static class ProblemResults
{
    public static ProblemHttpResult Create(ProblemCode code, int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: Title(code), type: code.ToTypeUri());

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = "The request is not valid.") =>
        TypedResults.ValidationProblem(errors, detail: detail, title: Title(ProblemCode.ValidationFailed),
            type: ProblemCode.ValidationFailed.ToTypeUri());

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult BadRequest(string detail) => Create(ProblemCode.ValidationFailed, StatusCodes.Status400BadRequest, detail);

    public static ProblemHttpResult NotFound(string detail) => Create(ProblemCode.ValidationFailed, StatusCodes.Status404NotFound, detail);

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiter).</summary>
    public static async Task WriteAsync(HttpContext context, ProblemCode code, int status, string detail)
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
            },
        });
    }

    /// <summary>A short, stable title per code; the detail sentence says what happened in this case.</summary>
    public static string Title(ProblemCode code) => code switch
    {
        ProblemCode.SignatureRequired => "A device signature is required",
        ProblemCode.SignatureMalformed => "The device signature is malformed",
        ProblemCode.SignatureInvalid => "The device signature is not valid",
        ProblemCode.DigestMismatch => "The body does not match its Content-Digest",
        ProblemCode.ClockSkew => "The signature time is outside the allowed clock skew",
        ProblemCode.Replayed => "The request was already received",
        ProblemCode.UnknownKey => "The signing key is not known",
        ProblemCode.CertificateExpired => "The device certificate is not valid at this time",
        ProblemCode.CertificateRevoked => "The device certificate was revoked",
        ProblemCode.DeviceMismatch => "The certificate belongs to another computer",
        ProblemCode.NotEnrolled => "The computer is not enrolled",
        ProblemCode.InvitationInvalid => "The invitation is not valid",
        ProblemCode.CsrInvalid => "The certificate signing request is not valid",
        ProblemCode.KeyNotAllowed => "The key type or size is not allowed",
        ProblemCode.RateLimited => "Too many requests",
        ProblemCode.ValidationFailed => "The request is not valid",
        _ => "The request failed",
    };
}
