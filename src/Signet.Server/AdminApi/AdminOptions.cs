namespace Signet.Server.AdminApi;

/// <summary><c>Signet:Admin</c>: the administrator account, API tokens and the login limits.</summary>
internal sealed class AdminOptions
{
    public const string Section = "Signet:Admin";

    /// <summary>Password of <c>admin</c> on first start; when empty one is generated and written to the data folder.</summary>
    public string? InitialPassword { get; set; }

    /// <summary>Lifetime of tokens from <c>POST /api/v1/auth/token</c>.</summary>
    public int TokenLifetimeMinutes { get; set; } = 480;

    /// <summary>Failed logins for one username (existing or not), each within <see cref="LockoutMinutes"/> of the one
    /// before, that lock it.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>Failed logins from one client address, whatever the username, that lock the address.</summary>
    public int MaxFailedLoginsPerAddress { get; set; } = 20;

    /// <summary>How long a lock lasts after the failure that set it, and how long a failure is remembered.</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Login requests (API token and console form) accepted per client address and minute, right or wrong.</summary>
    public int LoginPermitsPerMinute { get; set; } = 20;

    /// <summary>PBKDF2 iterations for new hashes. Not bound from configuration: only tests lower it.</summary>
    internal int PasswordIterations { get; set; } = PasswordHasher.DefaultIterations;
}
