using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;

namespace Signet.Fuzz.Targets;

/// <summary>RFC 9421 over a whole request (<see cref="FuzzMessage"/>): read every signature its Signature-Input names
/// and build its signature base, as a verifier of any profile would, then check it with an HMAC key.</summary>
internal static class SignatureBaseTarget
{
    private static readonly VerificationKey Hmac = VerificationKey.FromHmacSecret("signet-fuzz-hmac-secret-of-32-bytes"u8);

    public static void Run(byte[] input)
    {
        if (!FuzzMessage.TryRead(input, out var request, out _))
        {
            return;
        }

        var view = new AspNetRequestView(request);
        if (!view.TryGetFieldLines(HttpSignatures.SignatureInputField, out var lines)
            || !SfParser.TryParseDictionary(HttpSignatures.Combine(lines), out var inputs))
        {
            return;
        }

        foreach (var (label, _) in inputs.Entries)
        {
            if (!HttpSignatures.TryRead(view, label, out var signature, out _))
            {
                continue;
            }

            // RFC 9421 §2.5: the base ends with the @signature-params line, never with a line break.
            if (HttpSignatures.TryCreateBase(view, signature.Components, signature.Parameters, out var signatureBase, out _)
                && (signatureBase.AsSpan().LastIndexOf((byte)'\n') is var last
                    && !signatureBase.AsSpan(last + 1).StartsWith("\"@signature-params\": ("u8)))
            {
                throw new InvalidOperationException("the signature base does not end with its @signature-params line");
            }

            HttpSignatures.Verify(view, signature, Hmac, SignatureAlgorithm.HmacSha256, out _);
        }
    }
}
