using Signet.Server.Data;

namespace Signet.Server.Audit;

/// <summary>Adds audit events to the request's unit of work, so they are saved (or rolled back) with the change.</summary>
internal sealed class AuditLog(SignetDbContext db, TimeProvider time)
{
    public void Record(string actor, string action, string? subject, string? details = null) =>
        db.AuditEvents.Add(Event(time.GetUtcNow(), actor, action, subject, details));

    /// <summary>An event not yet added anywhere, for a change written by someone else's unit of work.</summary>
    public static AuditEvent Event(DateTimeOffset at, string actor, string action, string? subject, string? details = null) => new()
    {
        At = at,
        Actor = Truncate(actor, 128)!,
        Action = action,
        Subject = Truncate(subject, 256),
        Details = Truncate(details, 4096),
    };

    private static string? Truncate(string? value, int length) =>
        value is null || value.Length <= length ? value : value[..length];
}

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
