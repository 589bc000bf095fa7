using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.AdminApi;

internal enum LoginStatus
{
    Succeeded,
    WrongCredentials,

    /// <summary>The username is locked after repeated failures; the password was not checked.</summary>
    LockedOut,

    /// <summary>The client address is locked after repeated failures, whatever the username; the password was not checked.</summary>
    AddressLockedOut,
}

/// <summary>A checked login; <see cref="User"/> is set when it succeeded. <see cref="JustLocked"/>: after this wrong password
/// the username is locked (the attempt itself still counts as wrong credentials).</summary>
internal sealed record LoginResult(LoginStatus Status, AdminUser? User, bool JustLocked = false);

internal enum PasswordChangeStatus
{
    Changed,
    WrongPassword,
    LockedOut,
    TooWeak,
}

/// <summary>Checks administrator passwords for both the token endpoint and the console, so both share one throttle and
/// are audited the same way; a known and an unknown username take the same path, hash included. Saves its own changes.</summary>
internal sealed class AdminLogin(SignetDbContext db, AuditLog audit, LoginThrottle throttle, IPasswordHasher hasher, DecoyPassword decoy,
    IOptions<AdminOptions> options)
{
    public const int MinimumPasswordLength = 12;

    private const string RightPasswordRefused =
        "the right password, refused: other attempts locked the username while it was being checked";

    public async Task<LoginResult> CheckAsync(string username, string password, string address, CancellationToken cancellationToken)
    {
        var attempt = await throttle.TryBeginAsync(username, address, cancellationToken);
        switch (attempt.Lock)
        {
            case LoginLock.Username:
                return new LoginResult(LoginStatus.LockedOut, null);
            case LoginLock.Address:
                return new LoginResult(LoginStatus.AddressLockedOut, null);
        }

        var user = await db.AdminUsers.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (!Verify(user, password))
        {
            var locked = await throttle.IsLockedAsync(username, cancellationToken);
            audit.Record(address, AuditActions.LoginFailed, username, locked ? LockedDetails() : null);
            await db.SaveChangesAsync(cancellationToken);
            return new LoginResult(LoginStatus.WrongCredentials, null, locked);
        }

        if (await throttle.LockedSinceAsync(username, attempt, cancellationToken))
        {
            // Worth an operator's attention: whoever sent the burst may know the password.
            audit.Record(address, AuditActions.LoginFailed, username, RightPasswordRefused);
            await db.SaveChangesAsync(cancellationToken);
            return new LoginResult(LoginStatus.LockedOut, null);
        }

        await throttle.SucceededAsync(username, address, cancellationToken);
        audit.Record(user!.Username, AuditActions.LoginSucceeded, user.Username, "from " + address);
        await db.SaveChangesAsync(cancellationToken);
        return new LoginResult(LoginStatus.Succeeded, user);
    }

    /// <summary>Changes the password after checking the current one (which counts towards the lockout when wrong). The
    /// account's security stamp changes with it, which ends every token and every other console session.</summary>
    public async Task<PasswordChangeStatus> ChangePasswordAsync(string username, string currentPassword, string newPassword, string address,
        CancellationToken cancellationToken)
    {
        if (newPassword.Length < MinimumPasswordLength || newPassword.Length > 1024 || newPassword == currentPassword)
        {
            return PasswordChangeStatus.TooWeak;
        }

        var attempt = await throttle.TryBeginAsync(username, address, cancellationToken);
        if (attempt.Lock != LoginLock.None)
        {
            return PasswordChangeStatus.LockedOut;
        }

        var user = await db.AdminUsers.FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
        if (!Verify(user, currentPassword))
        {
            var locked = await throttle.IsLockedAsync(username, cancellationToken);
            audit.Record(username, AuditActions.LoginFailed, username,
                "wrong current password on password change" + (locked ? "; " + LockedDetails() : ""));
            await db.SaveChangesAsync(cancellationToken);
            return locked ? PasswordChangeStatus.LockedOut : PasswordChangeStatus.WrongPassword;
        }

        if (await throttle.LockedSinceAsync(username, attempt, cancellationToken))
        {
            audit.Record(username, AuditActions.LoginFailed, username, RightPasswordRefused + " (password change)");
            await db.SaveChangesAsync(cancellationToken);
            return PasswordChangeStatus.LockedOut;
        }

        await throttle.SucceededAsync(username, address, cancellationToken);
        var (hash, salt) = hasher.Hash(newPassword, options.Value.PasswordIterations);
        user!.PasswordHash = hash;
        user.PasswordSalt = salt;
        user.PasswordIterations = options.Value.PasswordIterations;
        user.MustChangePassword = false;
        user.SecurityStamp = AdminUser.NewSecurityStamp();
        user.Version = Guid.NewGuid();
        audit.Record(username, AuditActions.PasswordChanged, username, "every token and other console session of the account ended");
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.AdminTokens.Where(t => t.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another session changed the password first: the current password checked here is no longer the current one.
            return PasswordChangeStatus.WrongPassword;
        }

        await transaction.CommitAsync(cancellationToken);
        return PasswordChangeStatus.Changed;
    }

    /// <summary>The account's security stamp, or null when the account does not exist. Console sessions carry the stamp
    /// they were issued under and end when it changed.</summary>
    public Task<string?> SecurityStampAsync(string username, CancellationToken cancellationToken) =>
        db.AdminUsers.AsNoTracking().Where(u => u.Username == username).Select(u => u.SecurityStamp).FirstOrDefaultAsync(cancellationToken);

    /// <summary>True while the generated initial password is still the one in use.</summary>
    public Task<bool> MustChangePasswordAsync(string username, CancellationToken cancellationToken) =>
        db.AdminUsers.AsNoTracking().AnyAsync(u => u.Username == username && u.MustChangePassword, cancellationToken);

    /// <summary>Does the same hashing work whether or not the user exists.</summary>
    private bool Verify(AdminUser? user, string password) =>
        user is null ? decoy.Verify(password) : hasher.Verify(password, user.PasswordHash, user.PasswordSalt, user.PasswordIterations);

    private string LockedDetails() => $"the username is now locked for {options.Value.LockoutMinutes} minutes";
}
