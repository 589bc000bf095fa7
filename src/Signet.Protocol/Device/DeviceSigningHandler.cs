using System.Buffers.Text;
using System.Security.Cryptography;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Device;

/// <summary>Agent side of the signet-device profile: adds <c>Content-Digest</c>, <c>Signet-Device</c>,
/// <c>Signature-Input</c> and <c>Signature</c> (label <c>sig1</c>, a fresh 32-byte nonce each time) to every outgoing
/// request. The body is read once into memory and sent from that buffer, so the digest covers exactly what is sent.
/// Requests must have an absolute URI (an <see cref="HttpClient"/> with a base address resolves it before this
/// handler runs). Redirects followed by an inner handler are not re-signed: turn automatic redirects off.</summary>
/// <param name="udid">The computer's hardware UUID, sent as <c>Signet-Device</c>.</param>
/// <param name="key">The device key; its keyid and alg go into the signature parameters.</param>
/// <param name="timeProvider">Source of <c>created</c>.</param>
public sealed class DeviceSigningHandler(string udid, IRequestSigningKey key, TimeProvider timeProvider) : DelegatingHandler
{
    /// <summary>Tests only: the nonce as it is written into the signature (e.g. padded, or a given value twice).</summary>
    internal Func<string> NewNonce { get; init; } = () => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(DeviceProfile.NonceBytes));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { IsAbsoluteUri: true })
        {
            throw new InvalidOperationException("A signed request needs an absolute request URI.");
        }

        var body = await BufferContentAsync(request, cancellationToken).ConfigureAwait(false);
        Sign(request, body);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = BufferContentAsync(request, cancellationToken).GetAwaiter().GetResult();
        Sign(request, body);
        return base.Send(request, cancellationToken);
    }

    private void Sign(HttpRequestMessage request, byte[] body)
    {
        SetHeader(request, SignetHeaders.ContentDigest, ContentDigest.Compute(body));
        SetHeader(request, SignetHeaders.SignetDevice, udid);

        var parameters = new SfParameters(
        [
            new("created", SfBareItem.FromInteger(timeProvider.GetUtcNow().ToUnixTimeSeconds())),
            new("nonce", SfBareItem.FromString(NewNonce())),
            new("keyid", SfBareItem.FromString(key.KeyId)),
            new("alg", SfBareItem.FromString(key.Algorithm.ToName())),
        ], hadDuplicateKeys: false);

        request.Headers.Remove(SignetHeaders.SignatureInput);
        request.Headers.Remove(SignetHeaders.Signature);
        if (!HttpSignatures.TrySign(new HttpRequestMessageView(request), DeviceProfile.Label, DeviceProfile.SignedComponents, parameters, key,
                out var signatureInput, out var signature, out var error))
        {
            throw new InvalidOperationException($"The request cannot be signed: {error}.");
        }

        request.Headers.TryAddWithoutValidation(SignetHeaders.SignatureInput, signatureInput);
        request.Headers.TryAddWithoutValidation(SignetHeaders.Signature, signature);
    }

    private static void SetHeader(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        if (!request.Headers.TryAddWithoutValidation(name, value))
        {
            throw new InvalidOperationException($"The {name} header cannot be set.");
        }
    }

    // The digest must cover exactly the bytes sent, so the body is read once and sent from that buffer.
    private static async Task<byte[]> BufferContentAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return [];
        }

        var original = request.Content;
        var body = await original.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var buffered = new ByteArrayContent(body);
        foreach (var header in original.Headers.NonValidated)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, [.. header.Value]);
            }
        }

        request.Content = buffered;
        original.Dispose();
        return body;
    }
}
