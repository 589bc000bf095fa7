namespace Signet.Protocol;

/// <summary>The stable problem codes of the Signet contract (docs/protocol.md). Their slug, status, title and sentence
/// live in <see cref="ProblemCatalog"/>.</summary>
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
    EnrollmentDenied,
    NotFound,
    ServiceUnavailable,
    ServerError,
}

/// <summary>Maps problem codes to and from their wire form, <c>urn:signet:problem:&lt;code&gt;</c>.</summary>
public static class ProblemCodes
{
    /// <summary>The prefix every problem <c>type</c> starts with.</summary>
    public const string TypePrefix = "urn:signet:problem:";

    /// <summary>The code's short form, e.g. <c>signature-required</c>.</summary>
    public static string ToSlug(this ProblemCode code) => ProblemCatalog.Of(code).Slug;

    /// <summary>The code's problem-details <c>type</c>, e.g. <c>urn:signet:problem:signature-required</c>.</summary>
    public static string ToTypeUri(this ProblemCode code) => ProblemCatalog.Of(code).TypeUri;

    /// <summary>Reads a problem-details <c>type</c> or a bare slug; false when it is not a Signet code.</summary>
    public static bool TryParse(string? value, out ProblemCode code)
    {
        code = default;
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        var slug = value.StartsWith(TypePrefix, StringComparison.Ordinal) ? value[TypePrefix.Length..] : value;
        foreach (var entry in ProblemCatalog.All)
        {
            if (string.Equals(entry.Slug, slug, StringComparison.Ordinal))
            {
                code = entry.Code;
                return true;
            }
        }

        return false;
    }
}
