
namespace Signet.Server.Audit;

/// <summary>Audit action names.</summary>
internal static class AuditActions
{
    public const string Enrolled = "computer.enrolled";
    public const string Reenrolled = "computer.reenrolled";
    public const string ComputerDeleted = "computer.deleted";
    public const string EnrollmentHeld = "enrollment.held";
    public const string EnrollmentApproved = "enrollment.approved";
    public const string EnrollmentDenied = "enrollment.denied";
    public const string Renewed = "certificate.renewed";
    public const string RenewalCompleted = "certificate.renewal-completed";
    public const string Revoked = "certificate.revoked";
    public const string SettingsChanged = "settings.security.changed";
    public const string CheckInSettingsChanged = "settings.check-in.changed";
    public const string LoginSucceeded = "admin.login.succeeded";
    public const string LoginFailed = "admin.login.failed";
    public const string PasswordChanged = "admin.password.changed";
    public const string LoggedOut = "admin.logout";
    public const string InvitationCreated = "invitation.created";
    public const string InvitationDeleted = "invitation.deleted";
    public const string RequestsRefused = "agent.requests.refused";
}
