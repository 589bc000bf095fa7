using System.CommandLine;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet status</c>: what the keychain holds, including work left unfinished (an enrollment held for
/// approval, a renewal key waiting for its certificate) and the server's last refusal of the certificate. Offline by
/// default; <c>--online</c> asks the server now (a signed check-in) and shows its live answer.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var online = new Option<bool>("--online") { Description = "Also ask the server now (a signed check-in) whether it accepts this computer's certificate" };
        var command = new Command("status", "Show the keychain, device certificate, server and last contact") { online };
        CommandRunner.Bind(command, options, host, async (context, parse, cancellationToken) =>
        {
            var live = parse.GetValue(online) ? await AskServerAsync(context, cancellationToken).ConfigureAwait(false) : null;
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
            var state = notAfter <= now ? "expired"
                : config.LastRefusal == RevokedSlug ? "revoked"
                : config.LastRefusal is not null ? "refused"
                : Certificates.IsDueForRenewal(certificate, now) ? "due for renewal" : "valid";
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
                    .. config.LastRefusal is { } refusal
                        ? [$"Refused:      the server refused this computer's signature ({refusal}) at {config.LastRefusalAt:u}"]
                        : Array.Empty<string>(),
                    .. live is null ? Array.Empty<string>() : [$"Server now:   {live.Line}"],
                    .. credentials.RenewalPending
                        ? [$"Renewal:      a new key waits for its certificate (the answer was lost); the next {context.Next(config.ServerUrl).Signet("checkin")} or {context.Next(config.ServerUrl).Signet("renew")} fetches it"]
                        : Array.Empty<string>(),
                    .. enrollment is null ? Array.Empty<string>() : [$"Enrollment:   {Describe(context, enrollment)}"],
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
                    lastRefusal = config.LastRefusal,
                    lastRefusalAt = config.LastRefusalAt,
                    online = live is null ? null : new { accepted = live.Failure is null, signature = live.Signature, problem = live.Failure?.Problem?.ToSlug(), error = live.Failure?.Message },
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
            if (live?.Failure is { } failure)
            {
                // The status is printed; the live refusal is the one line (or, with --json, already in the object).
                throw context.Output.Json ? new AgentFailure(failure.ExitCode, failure.Message, failure.Problem) { Reported = true } : failure;
            }
        });
        return command;
    }

    private const string RevokedSlug = "certificate-revoked";

    /// <summary>The server's live answer: accepted, refused (with the failure to report), or unreachable.</summary>
    private sealed record LiveAnswer(string Line, string? Signature, AgentFailure? Failure);

    /// <summary>A signed check-in, as <c>check-connection</c> sends; its outcome is recorded for the offline status.</summary>
    private static async Task<LiveAnswer?> AskServerAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var credentials = context.Keychain.Open();
        if (credentials is null)
        {
            return null;
        }

        try
        {
            using var client = context.SignedClient(credentials);
            var response = await client.CheckInAsync(new CheckInRequest(AgentContext.AgentVersion), cancellationToken).ConfigureAwait(false);
            context.RecordContact(credentials.Config, response.CheckInIntervalSeconds, response.Signature);
            return client.SignatureVerdict(response) is { } served
                ? new LiveAnswer($"served, but the signature is refused ({response.Signature}): certificate-based communication is off there", response.Signature, served)
                : new LiveAnswer("accepted this computer's signed request just now", response.Signature ?? SignatureOutcomes.Valid, null);
        }
        catch (AgentFailure failure)
        {
            context.RecordRefusal(failure);
            return failure.ExitCode == ExitCodes.SignatureRejected
                ? new LiveAnswer($"refused this computer's signature ({failure.Problem?.ToSlug() ?? "refused"})", failure.Problem?.ToSlug(), failure)
                : new LiveAnswer($"no answer ({(failure.ExitCode == ExitCodes.ServerUnreachable ? "unreachable" : "failed")})", null, failure);
        }
    }

    private static string Describe(AgentContext context, EnrollmentProgress enrollment) => enrollment.IsHeld
        ? $"a new enrollment with {enrollment.ServerUrl} waits for an administrator's approval (held since {enrollment.HeldAt:u}); {context.Next(enrollment.ServerUrl).Signet("enroll", "--wait", "<seconds>")} or the daemon finishes it"
        : $"a new enrollment with {enrollment.ServerUrl} was started {enrollment.StartedAt:u} and has had no answer; {context.Next(enrollment.ServerUrl).Signet("enroll")} continues it";

    private static object Describe(KeyPlacement placement) => new
    {
        kind = placement.Kind,
        token = placement.Token,
        tokenModel = placement.TokenModel,
        module = placement.Module,
        exportable = placement.Exportable,
    };

    /// <summary>No keychain yet, but an enrollment in progress: exit 7 when it is held, else 3 (not enrolled).</summary>
    private static AgentFailure NotEnrolledYet(AgentContext context, EnrollmentProgress enrollment) => enrollment.IsHeld
        ? EnrollmentCompletion.Held(context, enrollment)
        : new AgentFailure(ExitCodes.NotEnrolled,
            $"This computer is not enrolled yet: {Describe(context, enrollment)}.");
}
