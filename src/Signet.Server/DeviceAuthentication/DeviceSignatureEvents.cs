namespace Signet.Server.DeviceAuthentication;

/// <summary>What the scheme decided about one agent request.</summary>
/// <param name="HttpContext">The request.</param>
/// <param name="ComputerId">The computer concerned, when one could be named.</param>
/// <param name="Outcome"><c>valid</c> or the problem slug.</param>
/// <param name="Served">False when the request was refused.</param>
internal sealed record DeviceSignatureOutcomeContext(HttpContext HttpContext, string? ComputerId, string Outcome, bool Served);

/// <summary>Hooks of the <c>DeviceSignature</c> scheme, e.g. for metrics or a live readiness view.</summary>
internal sealed class DeviceSignatureEvents
{
    /// <summary>Called once per request after the decision, accepted or not.</summary>
    public Func<DeviceSignatureOutcomeContext, Task> OnOutcome { get; set; } = _ => Task.CompletedTask;

    public Task Outcome(DeviceSignatureOutcomeContext context)
    {
        Observability.AgentRequestMetrics.NoteSignature(context);
        return OnOutcome(context);
    }
}
