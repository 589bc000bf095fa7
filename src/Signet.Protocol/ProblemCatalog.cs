namespace Signet.Protocol;

/// <summary>The one list of Signet's problem codes (docs/protocol.md). Server responses, the agent's messages and the
/// tests read it; nothing else keeps a code's text.</summary>
public static class ProblemCatalog
{
    private static readonly ProblemEntry[] Entries =
    [
        new(ProblemCode.SignatureRequired, "signature-required", 401, "A device signature is required",
            "This server requires every agent request to be signed with the device key."),
        new(ProblemCode.SignatureMalformed, "signature-malformed", 401, "The device signature is malformed",
            "The Signature or Signature-Input field could not be read or lacks a required component or parameter."),
        new(ProblemCode.SignatureInvalid, "signature-invalid", 401, "The device signature is not valid",
            "The signature does not verify with the device certificate's key."),
        new(ProblemCode.DigestMismatch, "digest-mismatch", 401, "The body does not match its Content-Digest",
            "The Content-Digest is missing or does not match the body."),
        new(ProblemCode.ClockSkew, "clock-skew", 401, "The signature time is outside the allowed clock skew",
            "The signature's creation time is too far from the server's clock: check the computer's clock."),
        new(ProblemCode.Replayed, "replayed", 401, "The request was already received",
            "This signature's nonce was already used."),
        new(ProblemCode.UnknownKey, "unknown-key", 401, "The signing key is not known",
            "The signing key is not a device certificate issued by this server: enroll again."),
        new(ProblemCode.CertificateExpired, "certificate-expired", 401, "The device certificate is not valid at this time",
            "The device certificate has expired or is not yet valid: enroll again."),
        new(ProblemCode.CertificateRevoked, "certificate-revoked", 401, "The device certificate was revoked",
            "The device certificate was revoked or replaced: enroll again."),
        new(ProblemCode.DeviceMismatch, "device-mismatch", 401, "The certificate belongs to another computer",
            "The device certificate belongs to another computer than the one in Signet-Device."),
        new(ProblemCode.NotEnrolled, "not-enrolled", 401, "The computer is not enrolled",
            "No enrolled computer has this Signet-Device: enroll first."),
        new(ProblemCode.InvitationInvalid, "invitation-invalid", 403, "The invitation is not valid",
            "The invitation code is unknown, expired, used up or issued for another computer: ask the administrator for a new one."),
        new(ProblemCode.CsrInvalid, "csr-invalid", 400, "The certificate signing request is not valid",
            "The CSR could not be read or its signature does not verify."),
        new(ProblemCode.KeyNotAllowed, "key-not-allowed", 400, "The key type or size is not allowed",
            "The CSR's key is not allowed: use RSA of at least 2048 bits with public exponent 65537, or ECDSA P-256/P-384."),
        new(ProblemCode.RateLimited, "rate-limited", 429, "Too many requests",
            "Too many requests: wait a minute and try again."),
        new(ProblemCode.ValidationFailed, "validation-failed", 400, "The request is not valid",
            "The request is not valid."),
        new(ProblemCode.EnrollmentDenied, "enrollment-denied", 403, "The enrollment request was denied",
            "An administrator denied this enrollment request: contact your administrator."),
        new(ProblemCode.NotFound, "not-found", 404, "Not found",
            "Nothing exists at this address."),
        new(ProblemCode.ServiceUnavailable, "service-unavailable", 503, "A service the server depends on is unavailable",
            "A service the server depends on cannot be reached: try again shortly."),
        new(ProblemCode.ServerError, "server-error", 500, "The server failed",
            "The server failed to handle the request."),
    ];

    static ProblemCatalog()
    {
        for (var i = 0; i < Entries.Length; i++)
        {
            if ((int)Entries[i].Code != i)
            {
                throw new InvalidOperationException($"ProblemCatalog entry {i} is {Entries[i].Code}: keep it in enum order.");
            }
        }

        if (Entries.Length != Enum.GetValues<ProblemCode>().Length)
        {
            throw new InvalidOperationException("ProblemCatalog lacks an entry for a ProblemCode.");
        }
    }

    /// <summary>Every code, in enum order.</summary>
    public static IReadOnlyList<ProblemEntry> All => Entries;

    /// <summary>The entry of a code.</summary>
    public static ProblemEntry Of(ProblemCode code) => Entries[(int)code];
}
