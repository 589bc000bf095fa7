using System.CommandLine;
using Signet.Agent.Keychain;

namespace Signet.Agent.Commands;

/// <summary><c>signet status</c>: what the keychain holds, without contacting the server, including work left
/// unfinished (an enrollment held for approval, a renewal key waiting for its certificate).</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("status", "Show the keychain, device certificate, server and last contact");
        CommandRunner.Bind(command, options, host, (context, _, _) =>
        {
            using var credentials = context.Keychain.Open();
            using var pending = context.Keychain.OpenPendingEnrollment();
            if (credentials is null)
            {
                throw pending is null ? context.NotEnrolled() : NotEnrolledYet(context, pending.Progress);
            }

            var config = credentials.Config;
            var certificate = credentials.Certificate;
            var now = context.Time.GetUtcNow();
            var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
            var state = notAfter <= now ? "expired" : Certificates.IsDueForRenewal(certificate, now) ? "due for renewal" : "valid";
            var lastContact = config.LastContactAt is { } at ? at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never";
            var enrollment = pending?.Progress;
            context.Output.Result(
                [
                    $"Keychain:     {context.Keychain.Location}",
                    $"Server:       {config.ServerUrl}",
                    $"Computer id:  {config.ComputerId}",
                    $"UDID:         {config.Udid}",
                    $"Certificate:  {certificate.Subject}",
                    $"Serial:       {certificate.SerialNumber}",
                    $"Expires:      {notAfter:u} ({state})",
                    $"Key:          {credentials.KeyType.Describe()}, {credentials.KeyPlacement.Describe()}",
                    $"Last contact: {lastContact}",
                    .. credentials.RenewalPending
                        ? ["Renewal:      a new key waits for its certificate (the answer was lost); the next `signet checkin` or `signet renew` fetches it"]
                        : Array.Empty<string>(),
                    .. enrollment is null ? Array.Empty<string>() : [$"Enrollment:   {Describe(enrollment)}"],
                ],
                new
                {
                    ok = true,
                    keychain = context.Keychain.Location,
                    server = config.ServerUrl,
                    computerId = config.ComputerId,
                    udid = config.Udid,
                    certificate = Certificates.Describe(certificate),
                    certificateState = state,
                    keyType = credentials.KeyType.ToName(),
                    keyProtection = Describe(credentials.KeyPlacement),
                    lastContactAt = config.LastContactAt,
                    checkInIntervalSeconds = config.CheckInIntervalSeconds,
                    renewalPending = credentials.RenewalPending,
                    enrollment = enrollment is null ? null : new
                    {
                        server = enrollment.ServerUrl,
                        state = enrollment.IsHeld ? "held" : "sent",
                        startedAt = enrollment.StartedAt,
                        heldAt = enrollment.HeldAt,
                    },
                });
            return Task.CompletedTask;
        });
        return command;
    }

    private static object Describe(KeyPlacement placement) => new
    {
        kind = placement.Kind,
        token = placement.Token,
        tokenModel = placement.TokenModel,
        module = placement.Module,
        exportable = placement.Exportable,
    };

    private static string Describe(EnrollmentProgress enrollment) => enrollment.IsHeld
        ? $"a new enrollment with {enrollment.ServerUrl} waits for an administrator's approval (held since {enrollment.HeldAt:u}); `signet enroll --wait <seconds>` or the daemon finishes it"
        : $"a new enrollment with {enrollment.ServerUrl} was started {enrollment.StartedAt:u} and has had no answer; `signet enroll` continues it";

    /// <summary>No keychain yet, but an enrollment in progress: exit 7 when it is held, else 3 (not enrolled).</summary>
    private static AgentFailure NotEnrolledYet(AgentContext context, EnrollmentProgress enrollment) => enrollment.IsHeld
        ? EnrollmentCompletion.Held(context, enrollment)
        : new AgentFailure(ExitCodes.NotEnrolled,
            $"This computer is not enrolled yet: {Describe(enrollment)}.");
}
