namespace Signet.Protocol;

/// <summary>The stable problem codes of the Signet contract (DESIGN.md §7).</summary>
public enum ProblemCode
{
    SignatureRequired,
    SignatureMalformed,
    SignatureInvalid,
    DigestMismatch,
    ClockSkew,
    Replayed,
    UnknownKey,
    CertificateExpired,
    CertificateRevoked,
    DeviceMismatch,
    NotEnrolled,
    InvitationInvalid,
    CsrInvalid,
    KeyNotAllowed,
    RateLimited,
    ValidationFailed,
}

/// <summary>Maps problem codes to and from their wire form, <c>urn:signet:problem:&lt;code&gt;</c>.</summary>
public static class ProblemCodes
{
    /// <summary>The prefix every problem <c>type</c> starts with.</summary>
    public const string TypePrefix = "urn:signet:problem:";

    private static readonly string[] Slugs =
    [
        "signature-required",
        "signature-malformed",
        "signature-invalid",
        "digest-mismatch",
        "clock-skew",
        "replayed",
        "unknown-key",
        "certificate-expired",
        "certificate-revoked",
        "device-mismatch",
        "not-enrolled",
        "invitation-invalid",
        "csr-invalid",
        "key-not-allowed",
        "rate-limited",
        "validation-failed",
    ];

    private static readonly string[] TypeUris = Array.ConvertAll(Slugs, slug => TypePrefix + slug);

    /// <summary>The code's short form, e.g. <c>signature-required</c>.</summary>
    public static string ToSlug(this ProblemCode code) => Slugs[(int)code];

    /// <summary>The code's problem-details <c>type</c>, e.g. <c>urn:signet:problem:signature-required</c>.</summary>
    public static string ToTypeUri(this ProblemCode code) => TypeUris[(int)code];

    /// <summary>Reads a problem-details <c>type</c> or a bare slug; false when it is not a Signet code.</summary>
    public static bool TryParse(string? value, out ProblemCode code)
    {
        code = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slug = value.StartsWith(TypePrefix, StringComparison.Ordinal) ? value[TypePrefix.Length..] : value;
        var index = Array.IndexOf(Slugs, slug);
        if (index < 0)
        {
            return false;
        }

        code = (ProblemCode)index;
        return true;
    }
}
