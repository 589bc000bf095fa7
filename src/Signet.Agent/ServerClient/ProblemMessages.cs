using Signet.Agent.Commands;
using Signet.Protocol;

namespace Signet.Agent.ServerClient;

/// <summary>Turns a server refusal into the one line the user reads and the exit code scripts act on. Every code of
/// DESIGN.md §7 has its own sentence: what happened, then what to do.</summary>
internal static class ProblemMessages
{
    private const string ReEnroll = "re-enroll with `signet enroll --server <url> --invitation <code>`";

    /// <summary>The failure for a refusal with a Signet problem code.</summary>
    public static AgentFailure For(ProblemCode code, string serverUrl, bool enrolling = false)
    {
        var slug = code.ToSlug();
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
            ProblemCode.CertificateRevoked => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's certificate (certificate-revoked): an administrator revoked it; ask your administrator for a new invitation and {ReEnroll}."),
            ProblemCode.NotEnrolled => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} does not know this computer (not-enrolled): it may have been deleted there; {ReEnroll}."),
            ProblemCode.InvitationInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the enrollment (invitation-invalid): the invitation code is unknown, used up or expired; ask your administrator for a new invitation."),
            ProblemCode.CsrInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the certificate request (csr-invalid): it could not be read or its signature did not verify; try again, and report it if it persists."),
            ProblemCode.KeyNotAllowed => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the key (key-not-allowed): it accepts RSA (2048 bits or more) and ECDSA P-256/P-384 keys; enroll again with `--key-type rsa`."),
            ProblemCode.RateLimited => (ExitCodes.Failure,
                $"The server at {serverUrl} is limiting requests from this computer (rate-limited); wait a minute and try again."),
            ProblemCode.ValidationFailed => (enrolling ? ExitCodes.EnrollmentRefused : ExitCodes.Failure,
                $"The server at {serverUrl} refused the request as invalid (validation-failed); check the agent version and the device identity (SIGNET_DEVICE_UDID), and report it if it persists."),
            _ => (ExitCodes.Failure, $"The server at {serverUrl} refused the request ({slug})."),
        };

        // Key and CSR refusals are enrollment refusals only when enrolling; during renew they are plain failures.
        if (!enrolling && exitCode == ExitCodes.EnrollmentRefused)
        {
            exitCode = ExitCodes.Failure;
        }

        return new AgentFailure(exitCode, text, code);
    }

    /// <summary>The failure for a refusal without a (known) problem code.</summary>
    public static AgentFailure ForStatus(int status, string? title, string serverUrl, bool enrolling)
    {
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
}
