using Microsoft.Extensions.Primitives;

namespace Signet.Protocol.Signatures;

/// <summary>An outgoing <see cref="HttpRequestMessage"/> with an absolute <see cref="HttpRequestMessage.RequestUri"/>,
/// read the way the handler will put it on the wire.</summary>
internal sealed class HttpRequestMessageView(HttpRequestMessage request) : HttpMessageView
{
    private readonly Uri? _uri = request.RequestUri is { IsAbsoluteUri: true } uri ? uri : null;

    public override bool IsRequest => true;
    public override string Method => request.Method.Method;
    public override string? Scheme => _uri?.Scheme.ToLowerInvariant();

    public override string? Authority
    {
        get
        {
            if (request.Headers.Host is { Length: > 0 } host)
            {
                return NormalizeAuthority(host, Scheme);
            }

            if (_uri is null)
            {
                return null;
            }

            // IdnHost is what goes on the wire (punycode, IPv6 in brackets is restored below).
            var name = _uri.HostNameType == UriHostNameType.IPv6 ? $"[{_uri.IdnHost}]" : _uri.IdnHost;
            name = name.ToLowerInvariant();
            return _uri.IsDefaultPort ? name : $"{name}:{_uri.Port}";
        }
    }

    public override string? RequestTarget => _uri?.PathAndQuery;
    public override string? Path => _uri is null ? null : _uri.AbsolutePath.Length == 0 ? "/" : _uri.AbsolutePath;
    public override string? RawQuery => _uri is null || _uri.Query.Length == 0 ? null : _uri.Query[1..];

    public override bool TryGetFieldLines(string name, out StringValues lines)
    {
        if (request.Headers.NonValidated.TryGetValues(name, out var values)
            || (request.Content is not null && request.Content.Headers.NonValidated.TryGetValues(name, out values)))
        {
            lines = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            return true;
        }

        lines = StringValues.Empty;
        return false;
    }
}
