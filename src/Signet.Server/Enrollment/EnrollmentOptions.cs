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
