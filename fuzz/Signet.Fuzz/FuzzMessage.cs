using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Signet.Fuzz;

/// <summary>A request written as text, the form of the message seeds: a request line (<c>METHOD TARGET</c>), header
/// lines (<c>Name: value</c>, repeatable), an empty line, the body. Bytes are read as Latin-1, as a server reads
/// field values, so every byte afl-fuzz writes reaches the parsers.</summary>
internal static class FuzzMessage
{
    private static readonly byte[] HeadEnd = "\n\n"u8.ToArray();

    /// <summary>The request in a fresh context (scheme https), and its body; false when the text has no request line.</summary>
    public static bool TryRead(byte[] input, out HttpRequest request, out byte[] body)
    {
        var end = input.AsSpan().IndexOf(HeadEnd);
        var head = Encoding.Latin1.GetString(end < 0 ? input : input.AsSpan(0, end));
        body = end < 0 ? [] : input[(end + HeadEnd.Length)..];
        var context = new DefaultHttpContext();
        request = context.Request;
        var lines = head.Split('\n');
        var requestLine = lines[0].Split(' ', 3);
        if (requestLine.Length < 2 || requestLine[0].Length == 0)
        {
            return false;
        }

        request.Method = requestLine[0];
        request.Scheme = "https";
        // The raw target is what the signature covers; the server's view reads @path and @query from it.
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = requestLine[1];
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            request.Headers.Append(line[..colon], line[(colon + 1)..].Trim(' ', '\t', '\r'));
        }

        return true;
    }

    /// <summary>The text form of a request: what <see cref="TryRead"/> reads back.</summary>
    public static byte[] Write(string method, string target, IEnumerable<KeyValuePair<string, string>> headers, byte[] body)
    {
        var head = new StringBuilder().Append(method).Append(' ').Append(target).Append('\n');
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append('\n');
        }

        head.Append('\n');
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
    }
}
