using Signet.Server.Problems;

namespace Signet.Server.DeviceAuthentication;

/// <summary>The body of an agent request, read once by the scheme (to check its digest) and handed to the endpoint.</summary>
internal sealed class DeviceRequestBody(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    /// <summary>Reads the whole body, up to <paramref name="limit"/> bytes; null when it is larger (<see cref="JsonBody.ReadLimitedAsync"/>).</summary>
    public static async Task<DeviceRequestBody?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken) =>
        await JsonBody.ReadLimitedAsync(request, limit, cancellationToken) is { } bytes ? new DeviceRequestBody(bytes) : null;
}
