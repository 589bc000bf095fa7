using System.Buffers.Text;
using Signet.Protocol.Device;

namespace Signet.Fuzz.Targets;

/// <summary>The signet-device verifier over a whole request (<see cref="FuzzMessage"/>), with the seeds' key and
/// clock. It must never throw, a refusal must carry a problem code, and what it accepts must carry what the server
/// relies on: a canonical nonce of the same bytes as the one signed, and a creation time within the skew.</summary>
internal static class DeviceVerifierTarget
{
    public static void Run(byte[] input)
    {
        if (!FuzzMessage.TryRead(input, out var request, out var body))
        {
            return;
        }

        var result = DeviceSignatureVerifier.Verify(request, body, FuzzDevice.Resolve, FuzzDevice.Now, FuzzDevice.MaximumClockSkew);
        if (!result.Succeeded)
        {
            return;
        }

        if (result.Nonce is null || result.CanonicalNonce is null
            || !Base64Url.DecodeFromChars(result.Nonce.TrimEnd('=')).AsSpan().SequenceEqual(Base64Url.DecodeFromChars(result.CanonicalNonce))
            || result.CanonicalNonce.Contains('=', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"accepted nonce '{result.Nonce}' has no canonical form of the same bytes ('{result.CanonicalNonce}')");
        }

        if (result.Created is not { } created || (created - FuzzDevice.Now).Duration() > FuzzDevice.MaximumClockSkew
            || result.KeyId is null || result.DeviceUdid is null || result.Algorithm is null)
        {
            throw new InvalidOperationException("an accepted signature lacks created, keyid, alg or Signet-Device");
        }
    }
}
