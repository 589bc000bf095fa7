using Microsoft.Extensions.Primitives;

namespace Signet.Protocol.Signatures;

/// <summary>What RFC 9421 needs to read from an HTTP message, so that one signature base builder serves an
/// ASP.NET Core request (server), an <see cref="HttpRequestMessage"/> (agent) and parsed test messages alike.
/// Derived values are exactly as on the wire: nothing is decoded or re-encoded.</summary>
internal abstract class HttpMessageView
{
    public abstract bool IsRequest { get; }

    /// <summary>The request method, case kept.</summary>
    public virtual string? Method => null;

    /// <summary>The target URI's scheme, lowercase.</summary>
    public virtual string? Scheme => null;

    /// <summary>Host and port as RFC 9421 §2.2.3 wants them: lowercase, default port removed.</summary>
    public virtual string? Authority => null;

    /// <summary>The request target as sent (origin form: path and query).</summary>
    public virtual string? RequestTarget => null;

    /// <summary>The path as sent, "/" when empty.</summary>
    public virtual string? Path => null;

    /// <summary>The query as sent without its "?"; null when the target has no "?".</summary>
    public virtual string? RawQuery => null;

    public virtual int? Status => null;

    /// <summary>The request a response answers, for components with the <c>req</c> parameter.</summary>
    public virtual HttpMessageView? RelatedRequest => null;

    /// <summary>The field lines of a header, by lowercase name; false when the message has none.</summary>
    public abstract bool TryGetFieldLines(string name, out StringValues lines);

    /// <summary>The target URI rebuilt from its parts (RFC 9421 §2.2.2).</summary>
    public string? TargetUri => Scheme is null || Authority is null || Path is null
        ? null
        : RawQuery is null ? $"{Scheme}://{Authority}{Path}" : $"{Scheme}://{Authority}{Path}?{RawQuery}";

    /// <summary>Splits an origin-form or absolute-form request target into its path and query.</summary>
    public static bool TrySplitTarget(string target, out string path, out string? query)
    {
        path = string.Empty;
        query = null;
        var start = 0;
        if (!target.StartsWith('/'))
        {
            // Absolute form (a request to a proxy): skip "scheme://authority".
            var schemeEnd = target.IndexOf("://", StringComparison.Ordinal);
            if (schemeEnd <= 0)
            {
                return false;
            }

            start = target.IndexOfAny(['/', '?'], schemeEnd + 3);
            if (start < 0)
            {
                path = "/";
                return true;
            }
        }

        var queryStart = target.IndexOf('?', start);
        if (queryStart < 0)
        {
            path = target[start..];
        }
        else
        {
            path = target[start..queryStart];
            query = target[(queryStart + 1)..];
        }

        if (path.Length == 0)
        {
            path = "/";
        }

        return true;
    }

    /// <summary>RFC 9421 §2.2.3: the authority lowercased, without the scheme's default port.</summary>
    public static string NormalizeAuthority(string host, string? scheme)
    {
        var authority = host.Trim().ToLowerInvariant();
        if (scheme == "https" && authority.EndsWith(":443", StringComparison.Ordinal))
        {
            return authority[..^4];
        }

        if (scheme == "http" && authority.EndsWith(":80", StringComparison.Ordinal))
        {
            return authority[..^3];
        }

        return authority;
    }
}
