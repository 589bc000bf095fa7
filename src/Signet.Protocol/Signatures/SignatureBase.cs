using System.Buffers;
using Microsoft.Extensions.Primitives;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Signatures;

/// <summary>RFC 9421 §2.5: the signature base for a list of covered components and the signature parameters.
/// Any component the message cannot supply, or that the RFC says must fail, makes the whole base fail with a
/// short reason; nothing throws.</summary>
internal static class SignatureBase
{
    private const string SignatureParamsLine = "\"@signature-params\": ";

    // Field names RFC 9421 §2.1.1 needs to know the structured type of; anything else is tried as a
    // Dictionary, then as a List (both serialize an Item the same way).
    private static readonly HashSet<string> KnownLists = new(StringComparer.Ordinal)
    {
        "accept-ch", "cache-status", "proxy-status",
    };

    private static readonly SearchValues<char> LineBreaks = SearchValues.Create("\r\n");

    /// <summary>Writes the base into <paramref name="writer"/>; false with <paramref name="error"/> when it cannot be built.</summary>
    public static bool TryWrite(AsciiWriter writer, HttpMessageView message, List<SfItem> components, SfParameters parameters, out string? error)
    {
        for (var i = 0; i < components.Count; i++)
        {
            var component = components[i];
            if (!component.Value.IsString)
            {
                error = "a component identifier is not a string";
                return false;
            }

            for (var j = 0; j < i; j++)
            {
                if (SameIdentifier(components[j], component))
                {
                    error = $"component {component.Value.String} is covered twice";
                    return false;
                }
            }

            SfSerializer.WriteItem(writer, component);
            writer.Write(": ");
            if (!TryWriteValue(writer, message, component, out error))
            {
                return false;
            }

            writer.Write('\n');
        }

        writer.Write(SignatureParamsLine);
        SfSerializer.WriteInnerList(writer, components, parameters);
        if (writer.Failed)
        {
            error = "a component value has characters outside Latin-1";
            return false;
        }

        error = null;
        return true;
    }

    private static bool SameIdentifier(SfItem a, SfItem b)
    {
        if (!string.Equals(a.Value.String, b.Value.String, StringComparison.Ordinal) || a.Parameters.Count != b.Parameters.Count)
        {
            return false;
        }

        foreach (var (key, value) in a.Parameters.Entries)
        {
            if (!b.Parameters.TryGet(key, out var other) || !value.Equals(other))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryWriteValue(AsciiWriter writer, HttpMessageView message, SfItem component, out string? error)
    {
        var name = component.Value.String;
        var parameters = component.Parameters;
        if (name.Length == 0 || name.AsSpan().ContainsAnyInRange('A', 'Z'))
        {
            error = $"component name '{name}' is empty or not lowercase";
            return false;
        }

        bool sf = false, bs = false, req = false;
        string? key = null, queryName = null;
        foreach (var (parameter, value) in parameters.Entries)
        {
            switch (parameter)
            {
                case "sf" when value.Kind == SfKind.Boolean: sf = value.Boolean; break;
                case "bs" when value.Kind == SfKind.Boolean: bs = value.Boolean; break;
                case "req" when value.Kind == SfKind.Boolean: req = value.Boolean; break;
                case "key" when value.IsString: key = value.String; break;
                case "name" when value.IsString: queryName = value.String; break;
                default:
                    error = $"component parameter '{parameter}' is not supported";
                    return false;
            }
        }

        var source = message;
        if (req)
        {
            if (message.IsRequest || message.RelatedRequest is null)
            {
                error = "req needs a response with its request";
                return false;
            }

            source = message.RelatedRequest;
        }

        if (name[0] == '@')
        {
            if (sf || bs || key is not null || (queryName is not null && name != "@query-param"))
            {
                error = $"derived component {name} takes no field parameters";
                return false;
            }

            return TryWriteDerived(writer, source, name, queryName, out error);
        }

        if (queryName is not null || (bs && (sf || key is not null)))
        {
            error = $"component {name} has parameters that cannot go together";
            return false;
        }

        if (!source.TryGetFieldLines(name, out var lines))
        {
            error = $"header {name} is absent";
            return false;
        }

        foreach (var line in lines)
        {
            if (line is not null && line.AsSpan().ContainsAny(LineBreaks))
            {
                error = $"header {name} contains a line break";
                return false;
            }
        }

        if (bs)
        {
            WriteBinaryWrapped(writer, lines);
        }
        else if (key is not null)
        {
            if (!SfParser.TryParseDictionary(Combine(lines), out var dictionary) || !dictionary.TryGet(key, out var member))
            {
                error = $"header {name} is not a dictionary with key {key}";
                return false;
            }

            SfSerializer.WriteMember(writer, member);
        }
        else if (sf)
        {
            var combined = Combine(lines);
            if (!KnownLists.Contains(name) && SfParser.TryParseDictionary(combined, out var dictionary))
            {
                SfSerializer.WriteDictionary(writer, dictionary);
            }
            else if (SfParser.TryParseList(combined, out var list))
            {
                SfSerializer.WriteList(writer, list);
            }
            else
            {
                error = $"header {name} is not a structured field";
                return false;
            }
        }
        else
        {
            WriteCombined(writer, lines);
        }

        error = null;
        return true;
    }

    // RFC 9421 §2.1: each line's value with leading and trailing whitespace removed, joined by ", ".
    private static void WriteCombined(AsciiWriter writer, StringValues lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", ");
            }

            writer.Write(lines[i].AsSpan().Trim(" \t"));
        }
    }

    private static string Combine(StringValues lines)
    {
        if (lines.Count == 1)
        {
            return lines[0]!.Trim(' ', '\t');
        }

        using var writer = new AsciiWriter(256);
        WriteCombined(writer, lines);
        return writer.ToString();
    }

    private static void WriteBinaryWrapped(AsciiWriter writer, StringValues lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", ");
            }

            var value = lines[i].AsSpan().Trim(" \t");
            var bytes = new byte[value.Length];
            for (var j = 0; j < value.Length; j++)
            {
                bytes[j] = (byte)value[j];
            }

            writer.Write(':');
            writer.WriteBase64(bytes);
            writer.Write(':');
        }
    }

    private static bool TryWriteDerived(AsciiWriter writer, HttpMessageView message, string name, string? queryName, out string? error)
    {
        error = null;
        if (name == "@status")
        {
            if (message.IsRequest || message.Status is not { } status || status is < 100 or > 999)
            {
                error = "@status needs a response";
                return false;
            }

            writer.WriteInteger(status);
            return true;
        }

        if (!message.IsRequest)
        {
            error = $"{name} needs a request";
            return false;
        }

        if (name == "@query")
        {
            // Written in two parts to spare a string per request on the hot path.
            if (message.Path is null || message.RawQuery.AsSpan().ContainsAny(LineBreaks))
            {
                error = "@query cannot be derived from this message";
                return false;
            }

            writer.Write('?');
            writer.Write(message.RawQuery);
            return true;
        }

        string? value = name switch
        {
            "@method" => message.Method,
            "@authority" => message.Authority,
            "@scheme" => message.Scheme,
            "@target-uri" => message.TargetUri,
            "@request-target" => message.RequestTarget,
            "@path" => message.Path,
            "@query-param" => QueryParameters.TryGetValue(message.RawQuery, queryName, out var parameter) ? parameter : null,
            _ => null,
        };

        if (value is null)
        {
            error = $"{name} is unknown or cannot be derived from this message";
            return false;
        }

        if (value.AsSpan().ContainsAny(LineBreaks))
        {
            error = $"{name} contains a line break";
            return false;
        }

        writer.Write(value);
        return true;
    }
}
