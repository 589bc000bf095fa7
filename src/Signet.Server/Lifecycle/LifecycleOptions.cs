namespace Signet.Server.Lifecycle;

/// <summary><c>Signet:Lifecycle</c>: limits on enrollments held for approval (docs/lifecycle.md).</summary>
internal sealed class LifecycleOptions
{
    public const string Section = "Signet:Lifecycle";

    /// <summary>How long a held enrollment waits for a decision before it lapses.</summary>
    public int HeldRequestLifetimeDays { get; set; } = 7;

    /// <summary>Held requests waiting at once; more are refused <c>rate-limited</c>.</summary>
    public int MaximumPendingRequests { get; set; } = 1_000;

    /// <summary>How long an agent is told to wait between polls of a held request.</summary>
    public int PollAfterSeconds { get; set; } = 60;
}
