using System.Text;
using Microsoft.Extensions.Primitives;
using Signet.Protocol.Signatures;

namespace Signet.Protocol.Tests.Support;

/// <summary>A raw HTTP/1.1 message from a .http vector file (CRLF lines, body byte for byte), seen through the
/// same message abstraction the server and agent use.</summary>
internal sealed class HttpFile : HttpMessageView
{
    private readonly List<(string Name, string Value)> _fields;
    private readonly string? _target;

    private HttpFile(string startLine, List<(string Name, string Value)> fields, byte[] body)
    {
        StartLine = startLine;
        _fields = fields;
        Body = body;
        var parts = startLine.Split(' ', 3);
        if (parts[0].StartsWith("HTTP/", StringComparison.Ordinal))
        {
            StatusCode = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            RequestMethod = parts[0];
            _target = parts[1];
        }
    }

    public string StartLine { get; }
    public byte[] Body { get; }
    public string? RequestMethod { get; }
    public int? StatusCode { get; }
    public IReadOnlyList<(string Name, string Value)> Fields => _fields;

    /// <summary>The scheme of the target URI, which a request line does not carry.</summary>
    public string TargetScheme { get; init; } = "https";

    public HttpFile? Request { get; init; }

    public override bool IsRequest => RequestMethod is not null;
    public override string? Method => RequestMethod;
    public override string? Scheme => IsRequest ? TargetScheme : null;
    public override int? Status => StatusCode;
    public override HttpMessageView? RelatedRequest => Request;
    public override string? RequestTarget => _target;

    public override string? Authority
    {
        get
        {
            var host = Header("host");
            return host is null ? null : NormalizeAuthority(host, Scheme);
        }
    }

    public override string? Path => _target is not null && TrySplitTarget(_target, out var path, out _) ? path : null;
    public override string? RawQuery => _target is not null && TrySplitTarget(_target, out _, out var query) ? query : null;

    public string? Header(string name)
    {
        var values = _fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToArray();
        return values.Length == 0 ? null : string.Join(", ", values);
    }

    public override bool TryGetFieldLines(string name, out StringValues lines)
    {
        var values = _fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).ToArray();
        lines = values;
        return values.Length > 0;
    }

    /// <summary>A copy with one field's lines replaced (or removed when <paramref name="value"/> is null).</summary>
    public HttpFile WithField(string name, string? value)
    {
        var fields = _fields.Where(f => !string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (value is not null)
        {
            fields.Add((name, value));
        }

        return new HttpFile(StartLine, fields, Body) { TargetScheme = TargetScheme, Request = Request };
    }

    public HttpFile WithRequest(HttpFile request) =>
        new(StartLine, _fields, Body) { TargetScheme = TargetScheme, Request = request };

    public HttpFile WithStartLine(string startLine) =>
        new(startLine, _fields, Body) { TargetScheme = TargetScheme, Request = Request };

    public static HttpFile Parse(byte[] raw)
    {
        var headerEnd = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            throw new FormatException("No end of header section.");
        }

        var head = Encoding.Latin1.GetString(raw, 0, headerEnd);
        var body = raw[(headerEnd + 4)..];
        var lines = head.Split("\r\n");
        var fields = new List<(string, string)>();
        foreach (var line in lines.Skip(1))
        {
            if (line.Length > 0 && line[0] is ' ' or '\t')
            {
                // obs-fold: RFC 9421 §2.1 replaces the fold with a single space.
                var (name, value) = fields[^1];
                fields[^1] = (name, value.TrimEnd() + " " + line.Trim());
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            fields.Add((line[..colon], line[(colon + 1)..]));
        }

        return new HttpFile(lines[0], fields, body);
    }
}
