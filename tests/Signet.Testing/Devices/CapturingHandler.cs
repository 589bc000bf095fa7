using System.Net.Http.Headers;

namespace Signet.Testing.Devices;

/// <summary>Records the last signed request on its way out, so a test can send the same bytes again (a replay, or the
/// same request to another node).</summary>
public sealed class CapturingHandler : DelegatingHandler
{
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public byte[] Body { get; private set; } = [];
    public Uri? Uri { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri = request.RequestUri;
        Headers.Clear();
        foreach (var header in request.Headers)
        {
            Headers.Add(new(header.Key, string.Join(", ", header.Value)));
        }

        Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The captured request as a new message, byte for byte the same; sent to <paramref name="baseAddress"/>
    /// (another node) when given.</summary>
    public HttpRequestMessage Replay(Uri? baseAddress = null)
    {
        var uri = baseAddress is null ? Uri : new Uri(baseAddress, Uri!.PathAndQuery);
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
