namespace Signet.Protocol.Digests;

/// <summary>Digest algorithms of the RFC 9530 registry that Signet computes and accepts.</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}

/// <summary>Outcome of checking a <c>Content-Digest</c> field against a body.</summary>
public enum DigestCheck
{
    /// <summary>At least one supported digest is present and every supported one matches.</summary>
    Match,
    /// <summary>A supported digest does not match the body.</summary>
    Mismatch,
    /// <summary>The field is missing, does not parse, or has no supported algorithm (deprecated ones are refused).</summary>
    Malformed,
}

/// <summary>RFC 9530 <c>Content-Digest</c>: compute and verify sha-256 and sha-512.</summary>
public static class ContentDigest
{
    /// <summary>The field value, e.g. <c>sha-256=:X48E9q...=:</c>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, DigestAlgorithm algorithm = DigestAlgorithm.Sha256) =>
        throw new NotImplementedException();

    /// <summary>Checks a received field value against the received body. Never throws.</summary>
    public static DigestCheck Verify(string? fieldValue, ReadOnlySpan<byte> body) =>
        throw new NotImplementedException();
}
