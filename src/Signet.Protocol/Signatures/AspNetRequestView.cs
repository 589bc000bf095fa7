using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Signet.Protocol.Signatures;

/// <summary>An incoming ASP.NET Core request. @path and @query come from the raw request target
/// (<see cref="IHttpRequestFeature.RawTarget"/>) so that percent-encoding is exactly what the client signed.</summary>
internal sealed class AspNetRequestView : HttpMessageView
{
    private readonly HttpRequest _request;
    private readonly string? _path;
    private readonly string? _query;
    private readonly string? _target;

    public AspNetRequestView(HttpRequest request)
    {
        _request = request;
        var rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(rawTarget))
        {
            // No server gave us the raw target (a hand-made context): rebuild it in its escaped form.
            rawTarget = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        if (TrySplitTarget(rawTarget, out var path, out var query))
        {
            _path = path;
            _query = query;
            _target = rawTarget;
        }
    }

    public override bool IsRequest => true;
    public override string Method => _request.Method;
    public override string Scheme => _request.Scheme.ToLowerInvariant();

    public override string? Authority
    {
        get
        {
            var host = _request.Headers.Host;
            return StringValues.IsNullOrEmpty(host) || host.Count != 1 ? null : NormalizeAuthority(host.ToString(), Scheme);
        }
    }

    public override string? RequestTarget => _target;
    public override string? Path => _path;
    public override string? RawQuery => _query;

    public override bool TryGetFieldLines(string name, out StringValues lines) =>
        _request.Headers.TryGetValue(name, out lines) && lines.Count > 0;
}
