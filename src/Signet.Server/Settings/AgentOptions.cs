namespace Signet.Server.Settings;

/// <summary>Top-level <c>Signet</c> settings the agent API hands out.</summary>
internal sealed class AgentOptions
{
    public const string Section = "Signet";

    /// <summary>How often agents are told to check in.</summary>
    public int CheckInIntervalSeconds { get; set; } = 900;

    /// <summary>How long a renewed certificate's predecessor still works.</summary>
    public int RenewalGraceMinutes { get; set; } = 10;
}
