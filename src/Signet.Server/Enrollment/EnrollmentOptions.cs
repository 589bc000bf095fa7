namespace Signet.Server.Enrollment;

/// <summary><c>Signet:Enrollment</c>: limits on <c>POST /agent/v1/enroll</c>.</summary>
internal sealed class EnrollmentOptions
{
    public const string Section = "Signet:Enrollment";

    /// <summary>Failed enrollment attempts (wrong invitations, unknown request ids) allowed per client address per
    /// minute; successes and held requests do not count.</summary>
    public int PermitsPerMinute { get; set; } = 60;

    /// <summary>Largest enrollment body accepted.</summary>
    public int MaximumBodyBytes { get; set; } = 65_536;
}

/// <summary>Top-level <c>Signet</c> settings the agent API hands out.</summary>
internal sealed class AgentOptions
{
    public const string Section = "Signet";

    /// <summary>How often agents are told to check in.</summary>
    public int CheckInIntervalSeconds { get; set; } = 900;

    /// <summary>How long a renewed certificate's predecessor still works.</summary>
    public int RenewalGraceMinutes { get; set; } = 10;
}
