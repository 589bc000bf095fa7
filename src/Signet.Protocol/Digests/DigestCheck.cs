
namespace Signet.Protocol.Digests;

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
