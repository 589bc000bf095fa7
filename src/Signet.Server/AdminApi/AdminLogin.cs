using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.AdminApi;

internal enum LoginStatus
{
    Succeeded,
    WrongCredentials,
    LockedOut,
}

/// <summary>A checked login; <see cref="User"/> is set when it succeeded. <see cref="JustLocked"/>: this wrong password
/// was the one that locked the account (the attempt itself still counts as wrong credentials).</summary>
internal sealed record LoginResult(LoginStatus Status, AdminUser? User, bool JustLocked = false);

internal enum PasswordChangeStatus
{
    Changed,
    WrongPassword,
    LockedOut,
    TooWeak,
}

/// <summary>Checks administrator passwords for both the token endpoint and the console, so both share one failure counter
/// and one lockout, and both are audited the same way. Saves its own changes.</summary>
internal sealed class AdminLogin(SignetDbContext db, AuditLog audit, IOptions<AdminOptions> options, TimeProvider time)
{
    public const int MinimumPasswordLength = 12;

    public async Task<LoginResult> CheckAsync(string username, string password, string address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (user is not null && user.LockedUntil > now)
        {
            return new LoginResult(LoginStatus.LockedOut, null);
        }

        if (user is null || !PasswordHasher.Verify(password, user.PasswordHash, user.PasswordSalt, user.PasswordIterations))
        {
            var lockedNow = user is not null && CountFailure(user, now);
            audit.Record(address, AuditActions.LoginFailed, username);
            await SaveIgnoringConflictsAsync(cancellationToken);
            return new LoginResult(LoginStatus.WrongCredentials, null, lockedNow);
        }

        user.FailedLogins = 0;
        user.LockedUntil = null;
        user.Version = Guid.NewGuid();
        audit.Record(user.Username, AuditActions.LoginSucceeded, user.Username, "from " + address);
        await SaveIgnoringConflictsAsync(cancellationToken);
        return new LoginResult(LoginStatus.Succeeded, user);
    }

    /// <summary>Changes the password after checking the current one (which counts towards the lockout when wrong).</summary>
    public async Task<PasswordChangeStatus> ChangePasswordAsync(string username, string currentPassword, string newPassword,
        CancellationToken cancellationToken)
    {
        if (newPassword.Length < MinimumPasswordLength || newPassword.Length > 1024 || newPassword == currentPassword)
        {
            return PasswordChangeStatus.TooWeak;
        }

        var now = time.GetUtcNow();
        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (user is null || user.LockedUntil > now)
        {
            return PasswordChangeStatus.LockedOut;
        }

        if (!PasswordHasher.Verify(currentPassword, user.PasswordHash, user.PasswordSalt, user.PasswordIterations))
        {
            var lockedNow = CountFailure(user, now);
            audit.Record(username, AuditActions.LoginFailed, username, "wrong current password on password change");
            await SaveIgnoringConflictsAsync(cancellationToken);
            return lockedNow ? PasswordChangeStatus.LockedOut : PasswordChangeStatus.WrongPassword;
        }

        var (hash, salt) = PasswordHasher.Hash(newPassword, options.Value.PasswordIterations);
        user.PasswordHash = hash;
        user.PasswordSalt = salt;
        user.PasswordIterations = options.Value.PasswordIterations;
        user.MustChangePassword = false;
        user.FailedLogins = 0;
        user.Version = Guid.NewGuid();
        audit.Record(username, AuditActions.PasswordChanged, username);
        await db.SaveChangesAsync(cancellationToken);
        return PasswordChangeStatus.Changed;
    }

    /// <summary>A short fingerprint of the stored password hash, or null when the account does not exist. Sessions carry it,
    /// so a password change (which re-salts the hash) ends every other session.</summary>
    public async Task<string?> CredentialStampAsync(string username, CancellationToken cancellationToken)
    {
        var hash = await db.AdminUsers.AsNoTracking().Where(u => u.Username == username).Select(u => u.PasswordHash)
            .FirstOrDefaultAsync(cancellationToken);
        return hash is null ? null : CredentialStamp(hash);
    }

    public static string CredentialStamp(byte[] passwordHash) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(passwordHash))[..16];

    /// <summary>True while the generated initial password is still the one in use.</summary>
    public Task<bool> MustChangePasswordAsync(string username, CancellationToken cancellationToken) =>
        db.AdminUsers.AsNoTracking().AnyAsync(u => u.Username == username && u.MustChangePassword, cancellationToken);

    /// <summary>Counts a failure; returns true when this failure locked the account.</summary>
    private bool CountFailure(AdminUser user, DateTimeOffset now)
    {
        user.FailedLogins++;
        user.Version = Guid.NewGuid();
        if (user.FailedLogins < options.Value.MaxFailedLogins)
        {
            return false;
        }

        user.LockedUntil = now.AddMinutes(options.Value.LockoutMinutes);
        user.FailedLogins = 0;
        return true;
    }

    /// <summary>Two logins at once may both touch the failure counter; the counter is advisory, the audit row is not lost.</summary>
    private async Task SaveIgnoringConflictsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException conflict)
        {
            foreach (var entry in conflict.Entries.Where(e => e.Entity is AdminUser))
            {
                entry.State = EntityState.Unchanged;
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
