namespace Signet.Protocol.Signatures;

/// <summary>RFC 9421 §3.3 signature algorithms Signet implements.</summary>
public enum SignatureAlgorithm
{
    RsaPssSha512,
    RsaV15Sha256,
    EcdsaP256Sha256,
    EcdsaP384Sha384,
    HmacSha256,
    Ed25519,
}

/// <summary>Names of <see cref="SignatureAlgorithm"/> values in the HTTP Signature Algorithms registry.</summary>
public static class SignatureAlgorithms
{
    public static string ToName(this SignatureAlgorithm algorithm) => algorithm switch
    {
        SignatureAlgorithm.RsaPssSha512 => "rsa-pss-sha512",
        SignatureAlgorithm.RsaV15Sha256 => "rsa-v1_5-sha256",
        SignatureAlgorithm.EcdsaP256Sha256 => "ecdsa-p256-sha256",
        SignatureAlgorithm.EcdsaP384Sha384 => "ecdsa-p384-sha384",
        SignatureAlgorithm.HmacSha256 => "hmac-sha256",
        SignatureAlgorithm.Ed25519 => "ed25519",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>False for ed25519: .NET 10's System.Security.Cryptography has no Ed25519 (only inside composite
    /// ML-DSA), so Signet can parse the name and build its signature bases but can neither sign nor verify it.</summary>
    public static bool IsSupported(this SignatureAlgorithm algorithm) =>
        algorithm is >= SignatureAlgorithm.RsaPssSha512 and <= SignatureAlgorithm.HmacSha256;

    /// <summary>Reads a registry name (exact, case-sensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out SignatureAlgorithm algorithm)
    {
        switch (name)
        {
            case "rsa-pss-sha512": algorithm = SignatureAlgorithm.RsaPssSha512; return true;
            case "rsa-v1_5-sha256": algorithm = SignatureAlgorithm.RsaV15Sha256; return true;
            case "ecdsa-p256-sha256": algorithm = SignatureAlgorithm.EcdsaP256Sha256; return true;
            case "ecdsa-p384-sha384": algorithm = SignatureAlgorithm.EcdsaP384Sha384; return true;
            case "hmac-sha256": algorithm = SignatureAlgorithm.HmacSha256; return true;
            case "ed25519": algorithm = SignatureAlgorithm.Ed25519; return true;
            default: algorithm = default; return false;
        }
    }
}
