using Signet.Protocol;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;

namespace Signet.Server.Enrollment;

/// <summary>Several held requests decided at once (a school re-imaging its Macs over the summer).</summary>
internal sealed record EnrollmentRequestBatch(IReadOnlyList<string>? Ids);

/// <summary>Per request of a batch: <c>approved</c>, <c>denied</c>, <c>not-found</c> or <c>already-decided</c>.</summary>
internal sealed record EnrollmentDecisionDto(string Id, string Result);

/// <summary>Admin API over enrollments held for approval (docs/api.md).</summary>
internal static class EnrollmentRequestEndpoints
{
    private const int MaximumBatch = 1_000;

    public static RouteGroupBuilder MapEnrollmentRequests(this RouteGroupBuilder api)
    {
        api.MapGet("/enrollment-requests", ListAsync).WithName("ListEnrollmentRequests").WithSummary("List enrollment requests held for approval");
        api.MapGet("/enrollment-requests/{id}", GetAsync).WithName("GetEnrollmentRequest").WithSummary("One held enrollment request with its evidence");
        api.MapPost("/enrollment-requests/{id}/approve", (string id, CertificateLifecycle lifecycle, EnrollmentRequestQueries requests,
            HttpContext context, CancellationToken cancellationToken) => DecideAsync(id, approve: true, lifecycle, requests, context, cancellationToken))
            .WithName("ApproveEnrollmentRequest")
            .WithSummary("Approve a held request: issue its certificate and supersede the computer's previous ones");
        api.MapPost("/enrollment-requests/{id}/deny", (string id, CertificateLifecycle lifecycle, EnrollmentRequestQueries requests,
            HttpContext context, CancellationToken cancellationToken) => DecideAsync(id, approve: false, lifecycle, requests, context, cancellationToken))
            .WithName("DenyEnrollmentRequest")
            .WithSummary("Deny a held request: the agent's next poll is refused enrollment-denied");
        api.MapPost("/enrollment-requests/approve", (EnrollmentRequestBatch? batch, CertificateLifecycle lifecycle, HttpContext context,
            CancellationToken cancellationToken) => DecideManyAsync(batch, approve: true, lifecycle, context, cancellationToken))
            .WithName("ApproveEnrollmentRequests").WithSummary("Approve several held requests at once");
        api.MapPost("/enrollment-requests/deny", (EnrollmentRequestBatch? batch, CertificateLifecycle lifecycle, HttpContext context,
            CancellationToken cancellationToken) => DecideManyAsync(batch, approve: false, lifecycle, context, cancellationToken))
            .WithName("DenyEnrollmentRequests").WithSummary("Deny several held requests at once");
        return api;
    }

    private static async Task<IResult> ListAsync(string? status, int? take, EnrollmentRequestQueries requests, CancellationToken cancellationToken)
    {
        if (status is not null && !EnrollmentRequestQueries.Statuses.Contains(status))
        {
            return ProblemResults.Validation("status", $"One of {string.Join(", ", EnrollmentRequestQueries.Statuses)}.");
        }

        return TypedResults.Ok(await requests.ListAsync(status, take ?? 100, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string id, EnrollmentRequestQueries requests, CancellationToken cancellationToken) =>
        await requests.GetAsync(id, cancellationToken) is { } request
            ? TypedResults.Ok(request)
            : ProblemResults.NotFound("No enrollment request has that id.");

    private static async Task<IResult> DecideAsync(string id, bool approve, CertificateLifecycle lifecycle, EnrollmentRequestQueries requests,
        HttpContext context, CancellationToken cancellationToken)
    {
        var actor = LifecycleActor.Admin(context);
        var outcome = approve ? await lifecycle.ApproveAsync(id, actor, cancellationToken) : await lifecycle.DenyAsync(id, actor, cancellationToken);
        return outcome.Status switch
        {
            DecisionStatus.Done => TypedResults.Ok(await requests.GetAsync(id, cancellationToken)),
            DecisionStatus.NotFound => ProblemResults.NotFound("No enrollment request has that id."),
            _ => ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The enrollment request was already decided or has lapsed."),
        };
    }

    private static async Task<IResult> DecideManyAsync(EnrollmentRequestBatch? batch, bool approve, CertificateLifecycle lifecycle,
        HttpContext context, CancellationToken cancellationToken)
    {
        if (batch?.Ids is not { Count: > 0 and <= MaximumBatch } ids)
        {
            return ProblemResults.Validation("ids", $"Between 1 and {MaximumBatch} request ids.");
        }

        var outcomes = await lifecycle.DecideAllAsync(ids, approve, LifecycleActor.Admin(context), cancellationToken);
        return TypedResults.Ok(outcomes.Select(o => new EnrollmentDecisionDto(o.Id, o.Outcome.Status switch
        {
            DecisionStatus.Done => approve ? EnrollmentRequestQueries.Approved : EnrollmentRequestQueries.Denied,
            DecisionStatus.NotFound => "not-found",
            _ => "already-decided",
        })).ToList());
    }
}
