namespace Signet.Server.DeviceAuthentication;

/// <summary>Hooks of the <c>DeviceSignature</c> scheme, e.g. for metrics or a live readiness view.</summary>
internal sealed class DeviceSignatureEvents
{
    /// <summary>Called once per request after the decision, accepted or not.</summary>
    public Func<DeviceSignatureOutcomeContext, Task> OnOutcome { get; set; } = _ => Task.CompletedTask;

    public Task Outcome(DeviceSignatureOutcomeContext context)
    {
        Observability.AgentRequestMetrics.NoteSignature(context.HttpContext, context.Outcome, context.ComputerId);
        return OnOutcome(context);
    }
}
