namespace Signet.Server.AdminApi;

/// <summary><c>Signet:Admin</c>: the administrator account and API tokens.</summary>
internal sealed class AdminOptions
{
    public const string Section = "Signet:Admin";

    /// <summary>Password of <c>admin</c> on first start; when empty one is generated and written to the data folder.</summary>
    public string? InitialPassword { get; set; }

    /// <summary>Lifetime of tokens from <c>POST /api/v1/auth/token</c>.</summary>
    public int TokenLifetimeMinutes { get; set; } = 480;

    /// <summary>Failed logins in a row before the account is locked.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>PBKDF2 iterations for new hashes. Not bound from configuration: only tests lower it.</summary>
    internal int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;
}
