using Signet.Agent.Commands;
using Signet.Protocol;

namespace Signet.Agent.ServerClient;

/// <summary>Turns a server refusal into the one line the user reads and the exit code scripts act on: what happened,
/// then what to do. Codes for which the agent knows a remedy of its own (re-enroll, set the clock) have their line
/// here; the others use the sentence of <see cref="ProblemCatalog"/>.</summary>
internal static class ProblemMessages
{
    /// <summary>The <c>certificateStatus</c> of a <c>certificate-revoked</c> refusal when another enrollment of the
    /// same computer replaced the certificate (as opposed to <c>revoked</c> by an administrator).</summary>
    public const string Superseded = "superseded";

    private const string ReEnroll = "re-enroll with `signet enroll --server <url> --invitation <code>`";

    /// <summary>The failure for a refusal with a Signet problem code.</summary>
    public static AgentFailure For(ProblemCode code, string serverUrl, RequestKind kind = RequestKind.Device, string? certificateStatus = null)
    {
        var slug = code.ToSlug();
        var enrolling = kind != RequestKind.Device;
        var (exitCode, text) = code switch
        {
            ProblemCode.SignatureRequired or ProblemCode.SignatureMalformed or ProblemCode.SignatureInvalid
                or ProblemCode.DigestMismatch or ProblemCode.UnknownKey => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's signature ({slug}): the keychain is missing, damaged or not made for this computer; {ReEnroll}."),
            ProblemCode.DeviceMismatch => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's signature (device-mismatch): the keychain is missing, damaged or not made for this computer (its certificate belongs to another computer); {ReEnroll}."),
            ProblemCode.ClockSkew => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected the signature (clock-skew): this computer's clock differs from the server's by more than the allowed skew; set the clock (enable NTP) and try again."),
            ProblemCode.Replayed => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected the request as a replay (replayed): the same signature was seen before; try again, and if it persists check for a proxy that resends requests."),
            ProblemCode.CertificateExpired => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's certificate (certificate-expired): it expired before it was renewed; {ReEnroll}."),
            ProblemCode.CertificateRevoked when certificateStatus == Superseded => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} no longer accepts this computer's certificate (certificate-revoked): another enrollment replaced it, so this computer was enrolled again elsewhere (another agent with the same hardware UUID, or a copy of this disk); contact your administrator before enrolling again."),
            ProblemCode.CertificateRevoked => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's certificate (certificate-revoked): an administrator revoked it or deleted this computer; ask your administrator for a new invitation and {ReEnroll}."),
            ProblemCode.NotEnrolled => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} does not know this computer (not-enrolled): it may have been deleted there; {ReEnroll}."),
            ProblemCode.InvitationInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the enrollment (invitation-invalid): the invitation code is unknown, used up or expired; ask your administrator for a new invitation."),
            ProblemCode.CsrInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the certificate request (csr-invalid): it could not be read or its signature did not verify; try again, and report it if it persists."),
            ProblemCode.KeyNotAllowed => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the key (key-not-allowed): it accepts RSA (2048 bits or more) and ECDSA P-256/P-384 keys; enroll again with `--key-type rsa`."),
            ProblemCode.ValidationFailed => (enrolling ? ExitCodes.EnrollmentRefused : ExitCodes.Failure,
                $"The server at {serverUrl} refused the request as invalid (validation-failed); check the agent version and the device identity (SIGNET_DEVICE_UDID), and report it if it persists."),
            ProblemCode.EnrollmentDenied => (ExitCodes.EnrollmentRefused, FromCatalog(code, serverUrl)),
            ProblemCode.NotFound when kind == RequestKind.HeldEnrollment => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} no longer has this computer's enrollment request (not-found): it expired or an administrator deleted it; enroll again with `signet enroll --server <url>` (and --invitation if your administrator gives you one)."),
            ProblemCode.NotFound => (ExitCodes.Failure,
                $"The server at {serverUrl} has nothing at the address the agent asked for (not-found); check that the URL is your Signet server's and that the agent and server versions match."),
            // On a signed request a 503 is the server's replay cache (docs/protocol.md): nothing this computer can fix.
            ProblemCode.ServiceUnavailable when !enrolling => (ExitCodes.Failure,
                $"The server at {serverUrl} could not check this request (service-unavailable): the server's replay cache is unavailable, so this is not a problem with this computer; try again later, and tell your administrator if it persists."),
            ProblemCode.ServerError => (ExitCodes.Failure,
                $"The server at {serverUrl} failed (server-error); try again later and tell your administrator if it persists."),
            _ => (ExitCodes.Failure, FromCatalog(code, serverUrl)),
        };

        // Key and CSR refusals are enrollment refusals only when enrolling; during renew they are plain failures.
        if (!enrolling && exitCode == ExitCodes.EnrollmentRefused)
        {
            exitCode = ExitCodes.Failure;
        }

        return new AgentFailure(exitCode, text, code);
    }

    /// <summary>The failure for a refusal without a (known) problem code.</summary>
    public static AgentFailure ForStatus(int status, string? title, string serverUrl, RequestKind kind)
    {
        if (kind == RequestKind.HeldEnrollment && status == 404)
        {
            return For(ProblemCode.NotFound, serverUrl, kind);
        }

        var enrolling = kind != RequestKind.Device;
        var what = string.IsNullOrWhiteSpace(title) ? $"HTTP {status}" : $"HTTP {status}: {title}";
        if (status == 401)
        {
            return new AgentFailure(ExitCodes.SignatureRejected,
                $"The server at {serverUrl} did not accept this computer's credentials ({what}); {ReEnroll}.");
        }

        if (enrolling && status is >= 400 and < 500)
        {
            return new AgentFailure(ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the enrollment ({what}); check the invitation code with your administrator.");
        }

        return status >= 500
            ? new AgentFailure(ExitCodes.Failure, $"The server at {serverUrl} failed ({what}); try again later and tell your administrator if it persists.")
            : new AgentFailure(ExitCodes.Failure, $"The server at {serverUrl} refused the request ({what}); check that the agent and server versions match.");
    }

    private static string FromCatalog(ProblemCode code, string serverUrl) =>
        $"The server at {serverUrl} refused the request ({code.ToSlug()}). {ProblemCatalog.Of(code).Sentence}";
}
