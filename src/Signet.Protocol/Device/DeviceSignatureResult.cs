using Signet.Protocol.Signatures;

namespace Signet.Protocol.Device;

/// <summary>Outcome of <see cref="DeviceSignatureVerifier.Verify"/>. On failure <see cref="Problem"/> is one of
/// signature-required, signature-malformed, signature-invalid, digest-mismatch, clock-skew, unknown-key;
/// the other members hold what could be read (null when not).</summary>
public sealed record DeviceSignatureResult
{
    public bool Succeeded => Problem is null;
    public ProblemCode? Problem { get; init; }

    /// <summary>A short reason for logs (never sent to the client).</summary>
    public string? Detail { get; init; }

    /// <summary>The <c>Signet-Device</c> header value.</summary>
    public string? DeviceUdid { get; init; }
    public string? KeyId { get; init; }
    public string? Nonce { get; init; }

    /// <summary>The nonce's bytes in unpadded base64url, set once the nonce is known to be valid: the form to compare
    /// nonces in (a replay cache keyed on <see cref="Nonce"/> would take <c>N</c> and <c>N=</c> for two nonces).</summary>
    public string? CanonicalNonce { get; init; }
    public SignatureAlgorithm? Algorithm { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Expires { get; init; }
}
