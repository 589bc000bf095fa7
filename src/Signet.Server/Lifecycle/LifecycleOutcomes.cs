using Signet.Protocol;
using Signet.Server.Enrollment;

namespace Signet.Server.Lifecycle;

/// <summary>A certificate the agent can use now (or after its first signature): the DER and the computer it is for.</summary>
internal sealed record IssuedResult(string ComputerId, byte[] CertificateDer)
{
    public string CertificatePem() => System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", CertificateDer);
}

/// <summary>A refusal with its problem code and the sentence for the agent's operator.</summary>
internal sealed record Refusal(ProblemCode Code, string Detail)
{
    public static Refusal Of(ProblemCode code) => new(code, ProblemCatalog.Of(code).Sentence);
}

/// <summary>What became of an enrollment: issued, held for approval, or refused.</summary>
internal sealed record EnrollmentOutcome(IssuedResult? Issued, EnrollmentRequest? Held, Refusal? Refused)
{
    public static EnrollmentOutcome Completed(string computerId, byte[] der) => new(new IssuedResult(computerId, der), null, null);

    public static EnrollmentOutcome HeldAs(EnrollmentRequest request) => new(null, request, null);

    public static EnrollmentOutcome Refuse(ProblemCode code, string? detail = null) =>
        new(null, null, new Refusal(code, detail ?? ProblemCatalog.Of(code).Sentence));
}

/// <summary>What became of a renewal: the (pending) certificate, or a refusal.</summary>
internal sealed record RenewalOutcome(IssuedResult? Issued, Refusal? Refused);

internal enum DecisionStatus
{
    Done,
    NotFound,
    AlreadyDecided,
}

/// <summary>The outcome of approving or denying a held request.</summary>
internal sealed record DecisionOutcome(DecisionStatus Status, EnrollmentRequest? Request, string? IssuedSerialNumber = null);

internal enum RevocationStatus
{
    Revoked,
    ComputerNotFound,
    NothingToRevoke,
}

internal sealed record RevocationResult(RevocationStatus Status, IReadOnlyList<string> RevokedSerialNumbers, DateTimeOffset At);

/// <summary>The state of a held request as its agent polls it.</summary>
internal sealed record PollOutcome(EnrollmentRequestStatus? Status, bool Expired, IssuedResult? Issued);
