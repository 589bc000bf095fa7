using Microsoft.Extensions.Primitives;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Signatures;

/// <summary>General RFC 9421 signing and reading, over any <see cref="HttpMessageView"/>. The signet-device
/// profile (<see cref="Device.DeviceSignatureVerifier"/>) adds its policy on top.</summary>
internal static class HttpSignatures
{
    public const string SignatureInputField = "signature-input";
    public const string SignatureField = "signature";

    /// <summary>Reads the signature called <paramref name="label"/>; false with a reason when either field lacks
    /// it or it does not have the shape RFC 9421 §4 requires.</summary>
    public static bool TryRead(HttpMessageView message, string label, out ParsedSignature signature, out string? error)
    {
        signature = null!;
        if (!message.TryGetFieldLines(SignatureInputField, out var inputLines) || !message.TryGetFieldLines(SignatureField, out var signatureLines))
        {
            error = "Signature-Input or Signature is absent";
            return false;
        }

        if (!SfParser.TryParseDictionary(Combine(inputLines), out var inputs) || !SfParser.TryParseDictionary(Combine(signatureLines), out var values))
        {
            error = "Signature-Input or Signature is not a structured dictionary";
            return false;
        }

        if (!inputs.TryGet(label, out var input) || !values.TryGet(label, out var value))
        {
            error = $"no signature labelled {label}";
            return false;
        }

        return TryCreate(label, input, value, out signature, out error);
    }

    /// <summary>Checks the shape of one Signature-Input member and its Signature member.</summary>
    public static bool TryCreate(string label, SfMember input, SfMember value, out ParsedSignature signature, out string? error)
    {
        signature = null!;
        if (!input.IsInnerList)
        {
            error = "the Signature-Input member is not an inner list";
            return false;
        }

        if (value.IsInnerList || value.Item!.Value.Kind != SfKind.ByteSequence)
        {
            error = "the Signature member is not a byte sequence";
            return false;
        }

        signature = new ParsedSignature(label, input.InnerList!, input.Parameters, value.Item.Value.Bytes);
        error = null;
        return true;
    }

    /// <summary>The signature base bytes for a parsed signature.</summary>
    public static bool TryCreateBase(HttpMessageView message, List<SfItem> components, SfParameters parameters, out byte[] signatureBase, out string? error)
    {
        using var writer = new AsciiWriter();
        if (!SignatureBase.TryWrite(writer, message, components, parameters, out error))
        {
            signatureBase = [];
            return false;
        }

        signatureBase = writer.WrittenSpan.ToArray();
        return true;
    }

    /// <summary>Verifies a signature read from a message with <paramref name="key"/> under <paramref name="algorithm"/>.</summary>
    public static bool Verify(HttpMessageView message, ParsedSignature signature, VerificationKey key, SignatureAlgorithm algorithm, out string? error)
    {
        using var writer = new AsciiWriter();
        if (!SignatureBase.TryWrite(writer, message, signature.Components, signature.Parameters, out error))
        {
            return false;
        }

        if (!key.Verify(algorithm, writer.WrittenSpan, signature.Value))
        {
            error = "the signature does not verify";
            return false;
        }

        return true;
    }

    /// <summary>Signs: returns the Signature-Input and Signature field values (one member each, under
    /// <paramref name="label"/>), or false with a reason when the base cannot be built.</summary>
    public static bool TrySign(
        HttpMessageView message,
        string label,
        List<SfItem> components,
        SfParameters parameters,
        IRequestSigningKey key,
        out string signatureInput,
        out string signature,
        out string? error)
    {
        signatureInput = signature = string.Empty;
        using var writer = new AsciiWriter();
        if (!SignatureBase.TryWrite(writer, message, components, parameters, out error))
        {
            return false;
        }

        var value = key.Sign(writer.WrittenSpan);
        writer.Clear();
        SfSerializer.WriteKey(writer, label);
        writer.Write('=');
        SfSerializer.WriteInnerList(writer, components, parameters);
        signatureInput = writer.ToString();

        writer.Clear();
        SfSerializer.WriteKey(writer, label);
        writer.Write("=:");
        writer.WriteBase64(value);
        writer.Write(':');
        signature = writer.ToString();
        return true;
    }

    /// <summary>Field lines combined as RFC 8941 §4.2 asks (", "); one line is returned as it is.</summary>
    public static string Combine(StringValues lines) => lines.Count == 1 ? lines[0] ?? string.Empty : string.Join(", ", lines.ToArray());

    /// <summary>A component identifier without parameters, e.g. <c>"@method"</c>.</summary>
    public static SfItem Component(string name) => new(SfBareItem.FromString(name), SfParameters.Empty);
}
