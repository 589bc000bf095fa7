using Microsoft.AspNetCore.Http;
using Signet.Protocol.Signatures;

namespace Signet.Protocol.Device;

/// <summary>Resolves a <c>keyid</c> to its verification key; returns null when the keyid is unknown.</summary>
public delegate VerificationKey? DeviceKeyResolver(string keyId);

/// <summary>Server side of the signet-device profile, over an incoming ASP.NET Core request: the checks that need
/// only the message, the clock and the key (parse, required components and parameters, alg allowed and matching the
/// key, Content-Digest, created/expires against the skew, the signature itself). Replay, certificate status and the
/// binding of the certificate to the computer are the caller's, using the values in the result.</summary>
public static class DeviceSignatureVerifier
{
    /// <summary>Verifies the request. <paramref name="body"/> is the received body (empty when none). Never throws
    /// for bad input: every refusal is a result carrying its problem code.</summary>
    public static DeviceSignatureResult Verify(
        HttpRequest request,
        ReadOnlySpan<byte> body,
        DeviceKeyResolver resolveKey,
        DateTimeOffset now,
        TimeSpan maximumClockSkew) => throw new NotImplementedException();
}

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
    public SignatureAlgorithm? Algorithm { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Expires { get; init; }
}
