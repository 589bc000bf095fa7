using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.AdminApi;

/// <summary>Answers a request the <see cref="ConsoleCookieGuard"/> refused with a 403 problem that says why; every other
/// authorization outcome is the framework's (challenges and forbids of the schemes).</summary>
internal sealed partial class AdminAuthorizationResults(ILogger<AdminAuthorizationResults> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden &&
            authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault(r => r.Handler is ConsoleCookieGuard) is { } reason)
        {
            LogCrossOriginRefused(logger, context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Origin.ToString(),
                context.Request.Headers["Sec-Fetch-Site"].ToString());
            return ProblemResults.WriteAsync(context, ProblemCode.ValidationFailed, StatusCodes.Status403Forbidden, reason.Message);
        }

        return _default.HandleAsync(next, context, policy, authorizeResult);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused {Method} {Path} made with only the console cookie from another origin (Origin '{Origin}', Sec-Fetch-Site '{Site}').")]
    private static partial void LogCrossOriginRefused(ILogger logger, string method, string path, string origin, string site);
}
