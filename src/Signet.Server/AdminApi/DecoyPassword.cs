using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Signet.Server.AdminApi;

/// <summary>A login for a username that does not exist is checked against random bytes at the configured cost, so an
/// unknown name costs the server the same work as a known one and its answer time does not tell which usernames exist.
/// No password gives the random bytes, so the check always fails.</summary>
internal sealed class DecoyPassword(IPasswordHasher hasher, IOptions<AdminOptions> options)
{
    private readonly byte[] _hash = RandomNumberGenerator.GetBytes(PasswordHasher.HashSize);
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(PasswordHasher.SaltSize);

    /// <summary>Does the work of checking <paramref name="password"/>; never true.</summary>
    public bool Verify(string password)
    {
        _ = hasher.Verify(password, _hash, _salt, options.Value.PasswordIterations);
        return false;
    }
}
