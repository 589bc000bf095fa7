
namespace Signet.Protocol.Digests;

/// <summary>Digest algorithms of the RFC 9530 registry that Signet computes and accepts.</summary>
public enum DigestAlgorithm
{
    Sha256,
    Sha512,
}
