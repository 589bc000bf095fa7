using System.Security.Cryptography;

namespace Signet.Server.AdminApi;

/// <summary>PBKDF2-HMAC-SHA256 password hashes.</summary>
internal sealed class PasswordHasher : IPasswordHasher
{
    public const int DefaultIterations = 600_000;
    public const int SaltSize = 16;
    public const int HashSize = 32;

    public (byte[] Hash, byte[] Salt) Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        return (Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashSize), salt);
    }

    public bool Verify(string password, byte[] hash, byte[] salt, int iterations)
    {
        var candidate = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, hash.Length);
        return CryptographicOperations.FixedTimeEquals(candidate, hash);
    }

    /// <summary>A generated password: 24 characters, base64url of 18 random bytes.</summary>
    public static string Generate() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));
}
