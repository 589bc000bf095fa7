using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain;

/// <summary>The keychain's <c>enrollment.json</c>: an enrollment whose key is stored (<c>enrollment.key</c>) but
/// whose certificate has not arrived yet. It holds what finishing needs without the command line: the server, the
/// CA confirmed when it started, the hardware UUID the CSR names, the invitation, and the request id once the server
/// holds the enrollment for an administrator's approval.</summary>
internal sealed record EnrollmentProgress(string ServerUrl, string Udid, string CaCertificate)
{
    /// <summary>The invitation code given to <c>enroll</c>; sent again when the enrollment is resent.</summary>
    public string? Invitation { get; init; }

    /// <summary>The held request's id (a secret the server gave only to this agent); null until the server holds it.</summary>
    public string? RequestId { get; init; }

    /// <summary>How long the server asked the agent to wait between polls.</summary>
    public int? PollAfterSeconds { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the server first answered that the enrollment is held.</summary>
    public DateTimeOffset? HeldAt { get; init; }

    /// <summary>True once the server holds the enrollment for approval.</summary>
    public bool IsHeld => RequestId is not null;

    public byte[] ToJson() => KeychainJson.Write(this);

    /// <summary>Reads enrollment.json; null when it does not parse or lacks a required field.</summary>
    public static EnrollmentProgress? FromJson(ReadOnlySpan<byte> json) =>
        KeychainJson.Read<EnrollmentProgress>(json) is { ServerUrl.Length: > 0, Udid.Length: > 0, CaCertificate.Length: > 0 } progress ? progress : null;
}
