using Signet.Server.Audit;

namespace Signet.Server.WebConsole;

/// <summary>Audit actions in words, for the log and a computer's timeline; the action name stays visible in the log.</summary>
internal static class AuditText
{
    public static string Describe(string action) => action switch
    {
        AuditActions.Enrolled => "Enrolled, certificate issued",
        AuditActions.Reenrolled => "Enrolled again, new certificate issued",
        AuditActions.ComputerDeleted => "Computer deleted",
        AuditActions.EnrollmentHeld => "Enrollment held for approval",
        AuditActions.EnrollmentApproved => "Held enrollment approved, new certificate issued",
        AuditActions.EnrollmentDenied => "Held enrollment denied",
        AuditActions.Renewed => "Certificate renewed",
        AuditActions.RenewalCompleted => "Renewed certificate in use, old one superseded",
        AuditActions.Revoked => "Certificate revoked",
        AuditActions.SettingsChanged => "Security settings changed",
        AuditActions.CheckInSettingsChanged => "Check-In settings changed",
        AuditActions.LoginSucceeded => "Logged in",
        AuditActions.LoginFailed => "Login failed",
        AuditActions.PasswordChanged => "Password changed",
        AuditActions.LoggedOut => "Logged out",
        AuditActions.InvitationCreated => "Invitation created",
        AuditActions.InvitationDeleted => "Invitation deleted",
        AuditActions.RequestsRefused => "Agent requests refused",
        _ => action,
    };

    /// <summary>Where the subject of an event is shown in the console, or null when it has no page.</summary>
    public static string? SubjectUrl(string action, string? subject) => subject is null ? null : action switch
    {
        AuditActions.InvitationCreated or AuditActions.InvitationDeleted => "/console/invitations",
        AuditActions.SettingsChanged => "/console/settings/security",
        AuditActions.CheckInSettingsChanged => "/console/settings/check-in",
        _ when action.StartsWith("computer.", StringComparison.Ordinal) && action != AuditActions.ComputerDeleted ||
               action.StartsWith("certificate.", StringComparison.Ordinal) || action.StartsWith("enrollment.", StringComparison.Ordinal) ||
               action == AuditActions.RequestsRefused && Guid.TryParse(subject, out _) => "/console/computers/" + Uri.EscapeDataString(subject),
        _ => null,
    };
}
