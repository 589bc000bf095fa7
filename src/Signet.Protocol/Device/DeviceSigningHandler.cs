using Signet.Protocol.Signatures;

namespace Signet.Protocol.Device;

/// <summary>Agent side of the signet-device profile: adds <c>Content-Digest</c>, <c>Signet-Device</c>,
/// <c>Signature-Input</c> and <c>Signature</c> to every outgoing request (a fresh nonce each time).</summary>
/// <param name="udid">The computer's hardware UUID, sent as <c>Signet-Device</c>.</param>
/// <param name="key">The device key; its keyid and alg go into the signature parameters.</param>
/// <param name="timeProvider">Source of <c>created</c>.</param>
public sealed class DeviceSigningHandler(string udid, IRequestSigningKey key, TimeProvider timeProvider) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{udid}{key}{timeProvider}");
}
