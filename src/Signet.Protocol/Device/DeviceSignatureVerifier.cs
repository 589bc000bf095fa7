using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Signet.Protocol.Digests;
using Signet.Protocol.Signatures;
using Signet.Protocol.StructuredFields;

namespace Signet.Protocol.Device;

/// <summary>Resolves a <c>keyid</c> to its verification key; returns null when the keyid is unknown.</summary>
public delegate VerificationKey? DeviceKeyResolver(string keyId);

/// <summary>Server side of the signet-device profile, over an incoming ASP.NET Core request: the checks that need
/// only the message, the clock and the key (parse, required components and parameters, alg allowed and matching the
/// key, Content-Digest, created/expires against the skew, the signature itself). Replay, certificate status and the
/// binding of the certificate to the computer are the caller's, using the values in the result.</summary>
/// <remarks>Checks run cheapest first, and the first failure decides the problem code:
/// <list type="number">
/// <item><c>signature-required</c>: neither Signature-Input nor Signature is present.</item>
/// <item><c>signature-malformed</c>: only one of them is present; either is over 8 KiB; either does not parse;
/// they hold more than one signature (repeated labels included) or different labels; more than 32 covered
/// components; a required component (<c>"@method" "@authority" "@path" "@query" "content-digest"
/// "signet-device"</c>) or parameter (<c>created</c>, <c>nonce</c> of at least 16 base64url bytes, <c>keyid</c>,
/// <c>alg</c>) is missing, repeated or of the wrong type; the Signet-Device or Content-Digest header is absent.</item>
/// <item><c>signature-invalid</c>: <c>alg</c> is unknown or not allowed for devices (hmac-sha256 and ed25519 are not).</item>
/// <item><c>clock-skew</c>: <c>created</c> is more than the maximum skew away from now (the boundary itself is
/// accepted), or <c>expires</c> has passed.</item>
/// <item><c>unknown-key</c>: the resolver does not know the <c>keyid</c>.</item>
/// <item><c>signature-invalid</c>: the key does not allow <c>alg</c>.</item>
/// <item><c>digest-mismatch</c>: Content-Digest does not match the body (a Content-Digest without a supported
/// algorithm, or that does not parse, is <c>signature-malformed</c>).</item>
/// <item><c>signature-malformed</c>: a further covered component cannot be built from the request.</item>
/// <item><c>signature-invalid</c>: the signature does not verify.</item>
/// </list></remarks>
public static class DeviceSignatureVerifier
{
    /// <summary>Verifies the request. <paramref name="body"/> is the received body (empty when none). Never throws
    /// for bad input: every refusal is a result carrying its problem code. <paramref name="resolveKey"/> is called at
    /// most once, only for a signature that passed the cheaper checks; its exceptions are not caught.</summary>
    public static DeviceSignatureResult Verify(
        HttpRequest request,
        ReadOnlySpan<byte> body,
        DeviceKeyResolver resolveKey,
        DateTimeOffset now,
        TimeSpan maximumClockSkew)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resolveKey);
        var headers = request.Headers;
        var hasInput = headers.TryGetValue(SignetHeaders.SignatureInput, out var inputLines);
        var hasSignature = headers.TryGetValue(SignetHeaders.Signature, out var signatureLines);
        if (!hasInput && !hasSignature)
        {
            return Results.Required;
        }

        if (!hasInput || !hasSignature)
        {
            return Malformed("only one of Signature-Input and Signature is present");
        }

        if (CombinedLength(inputLines) > DeviceProfile.MaxFieldLength || CombinedLength(signatureLines) > DeviceProfile.MaxFieldLength)
        {
            return Malformed("Signature-Input or Signature is over 8 KiB");
        }

        if (!SfParser.TryParseDictionary(HttpSignatures.Combine(inputLines), out var inputs)
            || !SfParser.TryParseDictionary(HttpSignatures.Combine(signatureLines), out var values))
        {
            return Malformed("Signature-Input or Signature does not parse");
        }

        if (inputs.Count != 1 || values.Count != 1 || inputs.HadDuplicateKeys || values.HadDuplicateKeys)
        {
            return Malformed("the profile allows exactly one signature");
        }

        var (label, input) = inputs.Entries[0];
        if (!string.Equals(label, values.Entries[0].Key, StringComparison.Ordinal))
        {
            return Malformed("Signature-Input and Signature labels differ");
        }

        if (!HttpSignatures.TryCreate(label, input, values.Entries[0].Value, out var signature, out var shapeError))
        {
            return Malformed(shapeError!);
        }

        return VerifyProfile(request, body, signature, resolveKey, now, maximumClockSkew);
    }

    private static DeviceSignatureResult VerifyProfile(
        HttpRequest request,
        ReadOnlySpan<byte> body,
        ParsedSignature signature,
        DeviceKeyResolver resolveKey,
        DateTimeOffset now,
        TimeSpan maximumClockSkew)
    {
        var headers = request.Headers;
        var udid = headers.TryGetValue(SignetHeaders.SignetDevice, out var udidLines) ? HttpSignatures.Combine(udidLines) : null;
        var parameters = signature.Parameters;
        var keyId = TryGetString(parameters, "keyid");
        var nonce = TryGetString(parameters, "nonce");
        var algorithmName = TryGetString(parameters, "alg");
        var created = TryGetInteger(parameters, "created");
        var expires = TryGetInteger(parameters, "expires");
        var result = new DeviceSignatureResult
        {
            DeviceUdid = udid,
            KeyId = keyId,
            Nonce = nonce,
            Algorithm = SignatureAlgorithms.TryParse(algorithmName, out var parsedAlgorithm) ? parsedAlgorithm : null,
            Created = ToTime(created),
            Expires = ToTime(expires),
        };

        if (signature.Components.Count > DeviceProfile.MaxComponents)
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = "more than 32 covered components" };
        }

        if (FindMissingComponent(signature.Components) is { } missing)
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = $"component {missing} is not covered" };
        }

        if (parameters.HadDuplicateKeys
            || keyId is null || nonce is null || algorithmName is null || created is null
            || (parameters.TryGet("expires", out _) && expires is null))
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = "created, nonce, keyid and alg are required, once each and of the right type" };
        }

        if (!DeviceProfile.TryCanonicalizeNonce(nonce, out var canonicalNonce))
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = "nonce is not base64url of at least 16 bytes" };
        }

        result = result with { CanonicalNonce = canonicalNonce };

        if (udid is null || !headers.TryGetValue(SignetHeaders.ContentDigest, out var digestLines))
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = "Signet-Device or Content-Digest is absent" };
        }

        if (result.Algorithm is not { } algorithm || !DeviceProfile.IsAllowed(algorithm))
        {
            return result with { Problem = ProblemCode.SignatureInvalid, Detail = $"alg {algorithmName} is not allowed for devices" };
        }

        if (result.Created is not { } createdAt || createdAt < now - maximumClockSkew || createdAt > now + maximumClockSkew)
        {
            return result with { Problem = ProblemCode.ClockSkew, Detail = "created is outside the allowed clock skew" };
        }

        if (expires is not null && (result.Expires is not { } expiresAt || now > expiresAt))
        {
            return result with { Problem = ProblemCode.ClockSkew, Detail = "the signature has expired" };
        }

        var key = resolveKey(keyId);
        if (key is null)
        {
            return result with { Problem = ProblemCode.UnknownKey, Detail = "keyid is not known" };
        }

        if (!key.Algorithms.Contains(algorithm))
        {
            return result with { Problem = ProblemCode.SignatureInvalid, Detail = $"alg {algorithmName} does not match the key" };
        }

        switch (ContentDigest.Verify(HttpSignatures.Combine(digestLines), body))
        {
            case DigestCheck.Mismatch:
                return result with { Problem = ProblemCode.DigestMismatch, Detail = "Content-Digest does not match the body" };
            case DigestCheck.Malformed:
                return result with { Problem = ProblemCode.SignatureMalformed, Detail = "Content-Digest has no supported digest or does not parse" };
        }

        using var writer = new AsciiWriter();
        if (!SignatureBase.TryWrite(writer, new AspNetRequestView(request), signature.Components, parameters, out var baseError))
        {
            return result with { Problem = ProblemCode.SignatureMalformed, Detail = baseError };
        }

        if (!key.Verify(algorithm, writer.WrittenSpan, signature.Value))
        {
            return result with { Problem = ProblemCode.SignatureInvalid, Detail = "the signature does not verify" };
        }

        return result;
    }

    private static string? FindMissingComponent(List<SfItem> components)
    {
        foreach (var required in DeviceProfile.RequiredComponents)
        {
            var found = false;
            foreach (var component in components)
            {
                if (component.Value.IsString && component.Parameters.Count == 0
                    && string.Equals(component.Value.String, required, StringComparison.Ordinal))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return required;
            }
        }

        return null;
    }

    private static string? TryGetString(SfParameters parameters, string key) =>
        parameters.TryGet(key, out var value) && value.IsString ? value.String : null;

    private static long? TryGetInteger(SfParameters parameters, string key) =>
        parameters.TryGet(key, out var value) && value.IsInteger ? value.Integer : null;

    // Unix seconds outside DateTimeOffset's range cannot be within any skew of now.
    private static DateTimeOffset? ToTime(long? seconds) =>
        seconds is { } s && s >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && s <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;

    private static int CombinedLength(StringValues lines)
    {
        var length = 0;
        foreach (var line in lines)
        {
            length += (line?.Length ?? 0) + 2;
        }

        return length - 2;
    }

    private static DeviceSignatureResult Malformed(string detail) =>
        new() { Problem = ProblemCode.SignatureMalformed, Detail = detail };

    private static class Results
    {
        public static readonly DeviceSignatureResult Required =
            new() { Problem = ProblemCode.SignatureRequired, Detail = "the request is not signed" };
    }
}
