using System.Text.Json;
using Signet.Protocol.Wire;

namespace Signet.Server.Problems;

/// <summary>Reads agent request bodies ourselves (they were buffered for the digest check) so that malformed JSON
/// is a clear 400 problem rather than a framework error.</summary>
internal static class JsonBody
{
    public static bool TryRead<T>(ReadOnlySpan<byte> body, out T? value, out IResult? problem) where T : class
    {
        value = null;
        problem = null;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, SignetJson.Options);
        }
        catch (JsonException e)
        {
            problem = ProblemResults.BadRequest(e.LineNumber is { } line
                ? $"The body is not valid JSON for this request (line {line + 1}, byte {e.BytePositionInLine + 1})."
                : "The body is not valid JSON for this request.");
            return false;
        }
        catch (NotSupportedException)
        {
            problem = ProblemResults.BadRequest("The body is not valid JSON for this request.");
            return false;
        }

        if (value is null)
        {
            problem = ProblemResults.BadRequest("The body must be a JSON object.");
            return false;
        }

        return true;
    }

    /// <summary>Reads the whole body, up to <paramref name="limit"/> bytes; null when it is larger. The request's body
    /// stream is replaced by the buffered copy so later readers start from the beginning.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
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
        return bytes;
    }
}
