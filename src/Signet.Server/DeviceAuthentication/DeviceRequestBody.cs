namespace Signet.Server.DeviceAuthentication;

/// <summary>The body of an agent request, read once by the scheme (to check its digest) and handed to the endpoint.</summary>
internal sealed class DeviceRequestBody(byte[] bytes)
{
    public byte[] Bytes { get; } = bytes;

    /// <summary>Reads the whole body, up to <paramref name="limit"/> bytes; null when it is larger. The request's
    /// body stream is replaced by the buffered copy so later readers start from the beginning.</summary>
    public static async Task<DeviceRequestBody?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length and > 0 ? (int)length : 0);
        var chunk = new byte[16_384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        var bytes = buffer.ToArray();
        request.Body = new MemoryStream(bytes, writable: false);
        return new DeviceRequestBody(bytes);
    }
}

/// <summary>Why the scheme refused a request, for the challenge.</summary>
internal sealed record DeviceAuthenticationFailure(Signet.Protocol.ProblemCode Code, int Status, string Detail, string? CertificateStatus = null);
