namespace Signet.Server.AdminApi;

/// <summary>Hashes and checks administrator passwords; the iteration count is stored with each hash.</summary>
internal interface IPasswordHasher
{
    (byte[] Hash, byte[] Salt) Hash(string password, int iterations);

    /// <summary>True when <paramref name="password"/> gives <paramref name="hash"/>; always does the full work.</summary>
    bool Verify(string password, byte[] hash, byte[] salt, int iterations);
}
