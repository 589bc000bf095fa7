using System.Security.Cryptography;
using Signet.Protocol.Signatures;

namespace Signet.Fuzz;

/// <summary>The device of the fuzz seeds: a fixed P-256 key (so seeds signed once stay valid), a fixed clock, and a
/// resolver that knows that key under any keyid (so a mutated keyid still reaches the checks after it).</summary>
internal static class FuzzDevice
{
    public const string Udid = "6F1A3B2C-0D4E-4F50-8A6B-7C8D9E0F1A2B";
    public const string KeyId = "5e0c5a4e1c8b8a0f4f1c7e3b9d2a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a";

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan MaximumClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>Not a secret: the private scalar is a hash of a fixed string, for fuzzing only.</summary>
    public static ECDsa Key { get; } = ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = SHA256.HashData("signet-fuzz device key (public, for fuzzing only)"u8),
    });

    public static VerificationKey VerificationKey { get; } = VerificationKey.FromECDsa(Key);

    public static VerificationKey? Resolve(string keyId) => VerificationKey;
}
