using System.Diagnostics;
using Signet.Server.Problems;

namespace Signet.Server.Observability;

/// <summary>Counts every agent API request once it is answered: its signature outcome (set by the
/// <c>DeviceSignature</c> scheme), the problem code of its response, and for enroll and renew the result.</summary>
internal static class AgentRequestMetrics
{
    private const string AgentPrefix = "/agent/v1";
    private const string SignatureItem = "signet.signature";

    /// <summary>The computer and signature outcome on the request's trace, and for the metrics below.</summary>
    public static void NoteSignature(HttpContext context, string outcome, string? computerId)
    {
        context.Items[SignatureItem] = outcome;
        if (Activity.Current is { } activity)
        {
            activity.SetTag("signet.signature.outcome", outcome);
            if (computerId is not null)
            {
                activity.SetTag("signet.computer.id", computerId);
            }
        }
    }

    public static WebApplication UseAgentRequestMetrics(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<SignetMetrics>();
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(AgentPrefix, out var rest))
            {
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                Record(metrics, context, rest);
            }
        });
        return app;
    }

    private static void Record(SignetMetrics metrics, HttpContext context, PathString rest)
    {
        var endpoint = EndpointName(rest);
        var status = context.Response.StatusCode;
        var problem = ProblemResults.NotedCode(context) ?? (status >= 400 ? "status-" + status : SignetMetrics.None);
        var signature = context.Items[SignatureItem] as string ?? SignetMetrics.None;
        metrics.AgentRequest(endpoint, signature, problem);
        switch (endpoint)
        {
            case "enroll" when status >= 400:
                metrics.Enrollment("refused", problem);
                break;
            case "renew" when status >= 400:
                metrics.Renewal("failed", problem);
                break;
        }
    }

    /// <summary>A fixed set of names, never the path itself (request ids must not become labels).</summary>
    private static string EndpointName(PathString rest)
    {
        var first = rest.Value?.TrimStart('/').Split('/', 2)[0] ?? "";
        return first switch
        {
            "enroll" or "checkin" or "inventory" or "renew" or "ca" or "enrollment-requests" => first,
            _ => "other",
        };
    }
}
