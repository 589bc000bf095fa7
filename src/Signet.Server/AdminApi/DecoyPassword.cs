using Microsoft.Extensions.Options;

namespace Signet.Server.AdminApi;

/// <summary>The hash of a random password nobody knows, at the configured cost. A login for a username that does not
/// exist is checked against it, so an unknown name costs the server the same work as a known one and its answer
/// time does not tell which usernames exist.</summary>
internal sealed class DecoyPassword(IPasswordHasher hasher, IOptions<AdminOptions> options)
{
    private readonly Lazy<(byte[] Hash, byte[] Salt, int Iterations)> _value = new(() =>
    {
        var iterations = options.Value.PasswordIterations;
        var (hash, salt) = hasher.Hash(PasswordHasher.Generate(), iterations);
        return (hash, salt, iterations);
    });

    /// <summary>Does the work of checking <paramref name="password"/>; never true.</summary>
    public bool Verify(string password)
    {
        var (hash, salt, iterations) = _value.Value;
        _ = hasher.Verify(password, hash, salt, iterations);
        return false;
    }
}
