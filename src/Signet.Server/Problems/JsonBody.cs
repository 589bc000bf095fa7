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

    /// <summary>Reads a request body of at most <paramref name="limit"/> bytes; null when larger.</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var body = await DeviceAuthentication.DeviceRequestBody.ReadAsync(request, limit, cancellationToken);
        return body?.Bytes;
    }
}
