using Signet.Agent.Outcomes;
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

    /// <summary>The failure for a refusal with a Signet problem code.</summary>
    public static AgentFailure For(ProblemCode code, NextCommands next, RequestKind kind = RequestKind.Device, string? certificateStatus = null)
    {
        var serverUrl = next.ServerUrl;
        var slug = code.ToSlug();
        var enrolling = kind != RequestKind.Device;
        var reEnroll = $"ask your administrator for an invitation and run {next.Enroll}";
        var (exitCode, text) = code switch
        {
            ProblemCode.SignatureRequired or ProblemCode.SignatureMalformed or ProblemCode.SignatureInvalid
                or ProblemCode.DigestMismatch or ProblemCode.UnknownKey => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's signature ({slug}): {Copied(next) ?? "the keychain is missing, damaged or not made for this computer"}; {reEnroll}."),
            ProblemCode.DeviceMismatch => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's signature (device-mismatch): {Copied(next) ?? "the keychain is not made for this computer (its certificate belongs to another computer)"}; {reEnroll}."),
            ProblemCode.ClockSkew => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected the signature (clock-skew): this computer's clock differs from the server's by more than the allowed skew; set the clock (enable NTP) and try again."),
            ProblemCode.Replayed => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected the request as a replay (replayed): the same signature was seen before; try again, and if it persists check for a proxy that resends requests."),
            ProblemCode.CertificateExpired => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's certificate (certificate-expired): it expired before it was renewed; {reEnroll}."),
            ProblemCode.CertificateRevoked when certificateStatus == Superseded => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} no longer accepts this computer's certificate (certificate-revoked): another enrollment replaced it, so this computer was enrolled again elsewhere (another agent with the same hardware UUID, or a copy of this disk); contact your administrator before enrolling again with {next.Enroll}."),
            ProblemCode.CertificateRevoked => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} rejected this computer's certificate (certificate-revoked): an administrator revoked it or deleted this computer; {reEnroll}."),
            // The server says only that it has no computer with the hardware UUID this request named.
            ProblemCode.NotEnrolled => (ExitCodes.SignatureRejected,
                $"The server at {serverUrl} does not know this computer (not-enrolled): {Copied(next) ?? $"no computer with {Udid(next)} is enrolled there now"}; {reEnroll}."),
            ProblemCode.InvitationInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the enrollment (invitation-invalid): the invitation code is unknown, used up or expired; ask your administrator for a new invitation and run {next.Enroll}."),
            ProblemCode.CsrInvalid => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the certificate request (csr-invalid): it could not be read or its signature did not verify; try again, and report it if it persists."),
            ProblemCode.KeyNotAllowed => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} refused the key (key-not-allowed): it accepts RSA (2048 bits or more) and ECDSA P-256/P-384 keys; run {next.Signet("enroll", "--server", serverUrl, "--invitation", "<code>", "--key-type", "rsa")}."),
            ProblemCode.ValidationFailed => (enrolling ? ExitCodes.EnrollmentRefused : ExitCodes.Failure,
                $"The server at {serverUrl} refused the request as invalid (validation-failed); check the agent version and the device identity (SIGNET_DEVICE_UDID), and report it if it persists."),
            ProblemCode.EnrollmentDenied => (ExitCodes.EnrollmentRefused, FromCatalog(code, serverUrl)),
            ProblemCode.NotFound when kind == RequestKind.HeldEnrollment => (ExitCodes.EnrollmentRefused,
                $"The server at {serverUrl} no longer has this computer's enrollment request (not-found): it expired or an administrator deleted it; enroll again with {next.Signet("enroll", "--server", serverUrl)} (and --invitation <code> if your administrator gives you one)."),
            ProblemCode.NotFound => (ExitCodes.Failure, NotFound(next, kind, "not-found")),
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

    /// <summary>The failure for a request the server served although it did not accept the signature (certificate-based
    /// communication is off, so it served on <c>Signet-Device</c> alone): the computer works now and is locked out as
    /// soon as the setting is enabled. Null when the server accepted the signature or did not say.</summary>
    public static AgentFailure? ServedWithoutValidSignature(string? signature, NextCommands next)
    {
        if (signature is null || signature == SignatureOutcomes.Valid)
        {
            return null;
        }

        var known = ProblemCodes.TryParse(signature, out var code);
        var refusal = known
            ? For(code, next).Message
            : $"The server at {next.ServerUrl} does not accept this computer's signature ({signature}); ask your administrator for an invitation and run {next.Enroll}.";
        return new AgentFailure(ExitCodes.SignatureRejected,
            $"The server at {next.ServerUrl} still answers this computer only because certificate-based communication is off there; once it is enabled, this computer is refused. {refusal}",
            known ? code : null);
    }

    /// <summary>The failure for a refusal without a (known) problem code.</summary>
    public static AgentFailure ForStatus(int status, string? title, NextCommands next, RequestKind kind)
    {
        var serverUrl = next.ServerUrl;
        var what = string.IsNullOrWhiteSpace(title) ? $"HTTP {status}" : $"HTTP {status}: {title}";
        if (status == 404)
        {
            // Whatever answered (a Signet server, a proxy, another web server) has nothing at the agent API's path.
            return kind == RequestKind.HeldEnrollment ? For(ProblemCode.NotFound, next, kind) : new AgentFailure(ExitCodes.Failure, NotFound(next, kind, what));
        }

        var enrolling = kind != RequestKind.Device;
        if (status == 401)
        {
            return new AgentFailure(ExitCodes.SignatureRejected,
                $"The server at {serverUrl} did not accept this computer's credentials ({what}); ask your administrator for an invitation and run {next.Enroll}.");
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

    /// <summary>Nothing at the agent API's address: while enrolling the URL given is wrong (a path after the host is the
    /// usual mistake), afterwards the server or a proxy in front of it changed.</summary>
    private static string NotFound(NextCommands next, RequestKind kind, string what)
    {
        var url = new Uri(next.ServerUrl);
        if (kind == RequestKind.Device)
        {
            return $"The server at {next.ServerUrl} has no Signet agent API at the address the agent asked for ({what}); check that the server (or a proxy in front of it) still serves Signet there and that the agent and server versions match.";
        }

        var root = url.GetLeftPart(UriPartial.Authority);
        return url.AbsolutePath.Length > 1
            ? $"The server at {next.ServerUrl} has no Signet agent API under the path {url.AbsolutePath} ({what}); give the server's base URL without a path: {next.Signet([.. next.Command?.Select(a => a == next.ServerUrl ? root : a) ?? ["enroll", "--server", root, "--invitation", "<code>"]])}."
            : $"The server at {next.ServerUrl} has no Signet agent API ({what}); check with your administrator that this is your Signet server's URL.";
    }

    /// <summary>What the agent knows itself when the keychain was enrolled for another hardware UUID; null otherwise.</summary>
    private static string? Copied(NextCommands next) =>
        next is { KeychainUdid: { } enrolledAs, ThisUdid: { } udid } && !string.Equals(enrolledAs, udid, StringComparison.OrdinalIgnoreCase)
            ? $"this keychain was enrolled for the computer with hardware UUID {enrolledAs}, and this computer's is {udid}, so it was copied here from another computer (or the hardware UUID changed); this computer needs its own enrollment"
            : null;

    private static string Udid(NextCommands next) => next.ThisUdid is { } udid ? $"this computer's hardware UUID ({udid})" : "this computer's hardware UUID";

    private static string FromCatalog(ProblemCode code, string serverUrl) =>
        $"The server at {serverUrl} refused the request ({code.ToSlug()}). {ProblemCatalog.Of(code).Sentence}";
}
