using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Data;

namespace Signet.Server.AdminApi;

/// <summary>What stopped a login before its password was checked.</summary>
internal enum LoginLock
{
    None,
    Username,
    Address,
}

/// <summary>A counted login attempt, or the lock that refused it. <see cref="Position"/>: the username's counter just
/// after this attempt was counted.</summary>
internal readonly record struct LoginAttempt(LoginLock Lock, int Position);

/// <summary>Failed logins counted per username (whether it exists or not) and per client address (an IPv6 client by its
/// /64, <see cref="LoginAddress"/>), in the database so every node shares them. An attempt is counted before its password
/// is checked, by one conditional UPDATE that refuses once the limit is reached: however many guesses race, at most the
/// limit is ever checked per lockout.</summary>
internal sealed partial class LoginThrottle(SignetDbContext db, IOptions<AdminOptions> options, TimeProvider time, ILogger<LoginThrottle> logger)
{
    private const int MaximumTries = 3;

    /// <summary>Counts this attempt against the address, then the username. Locked by either: nothing is counted and the
    /// password must not be checked.</summary>
    public async Task<LoginAttempt> TryBeginAsync(string username, string address, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var addressKey = AddressKey(address);
        if (await TryCountAsync(addressKey, options.Value.MaxFailedLoginsPerAddress, now, cancellationToken) == 0)
        {
            return new LoginAttempt(LoginLock.Address, 0);
        }

        var position = await TryCountAsync(AccountKey(username), options.Value.MaxFailedLogins, now, cancellationToken);
        if (position > 0)
        {
            return new LoginAttempt(LoginLock.None, position);
        }

        await UncountAsync(addressKey, cancellationToken);
        return new LoginAttempt(LoginLock.Username, 0);
    }

    /// <summary>True when other attempts locked the username while this one's password was being checked: a burst of
    /// guesses sent with the right password does not get in because the right one happened to be counted early.</summary>
    public async Task<bool> LockedSinceAsync(string username, LoginAttempt attempt, CancellationToken cancellationToken)
    {
        var counter = await CounterAsync(username, cancellationToken);
        return counter is not null && IsLocked(counter, options.Value.MaxFailedLogins, Stale(time.GetUtcNow())) &&
            counter.Failures > attempt.Position;
    }

    /// <summary>The password was right: the username starts again from zero, and the attempt no longer counts against
    /// the address (a success from it does not clear other usernames' failures from it).</summary>
    public async Task SucceededAsync(string username, string address, CancellationToken cancellationToken)
    {
        var accountKey = AccountKey(username);
        await db.LoginFailureCounters.Where(c => c.Key == accountKey)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, 0), cancellationToken);
        await UncountAsync(AddressKey(address), cancellationToken);
        await DeleteStaleAsync(Stale(time.GetUtcNow()), cancellationToken);
    }

    /// <summary>True while the username is locked; for the message after a failure (the decision is
    /// <see cref="TryBeginAsync"/>'s).</summary>
    public async Task<bool> IsLockedAsync(string username, CancellationToken cancellationToken)
    {
        var counter = await CounterAsync(username, cancellationToken);
        return counter is not null && IsLocked(counter, options.Value.MaxFailedLogins, Stale(time.GetUtcNow()));
    }

    /// <summary>Counts one attempt unless the key is locked; returns the counter just after (this attempt's position), or 0
    /// when locked.</summary>
    private async Task<int> TryCountAsync(string key, int limit, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stale = Stale(now);
        for (var attempt = 0; attempt < MaximumTries; attempt++)
        {
            await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                // A counter last touched before the lockout period starts again from one.
                var counted = await db.LoginFailureCounters
                    .Where(c => c.Key == key && (c.LastFailureAt == null || c.LastFailureAt <= stale || c.Failures < limit))
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.Failures, c => c.LastFailureAt == null || c.LastFailureAt <= stale ? 1 : c.Failures + 1)
                        .SetProperty(c => c.LastFailureAt, now), cancellationToken);
                if (counted == 1)
                {
                    // The UPDATE holds the row until commit, so this reads this attempt's own position.
                    var position = await db.LoginFailureCounters.Where(c => c.Key == key).Select(c => c.Failures).FirstAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return position;
                }
            }

            var counter = await db.LoginFailureCounters.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, cancellationToken);
            if (counter is not null && IsLocked(counter, limit, stale))
            {
                return 0;
            }

            if (counter is null)
            {
                // First failure for this key (or its stale counter was just cleaned up): create it, whoever wins the race.
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO \"LoginFailureCounters\" (\"Key\", \"Failures\") VALUES ({key}, 0) ON CONFLICT (\"Key\") DO NOTHING",
                    cancellationToken);
                await DeleteStaleAsync(stale, cancellationToken); // new keys are what makes the table grow
            }
        }

        LogCounterContended(logger, key);
        return 0;
    }

    private Task<LoginFailureCounter?> CounterAsync(string username, CancellationToken cancellationToken)
    {
        var key = AccountKey(username);
        return db.LoginFailureCounters.AsNoTracking().FirstOrDefaultAsync(c => c.Key == key, cancellationToken);
    }

    private async Task UncountAsync(string key, CancellationToken cancellationToken) =>
        await db.LoginFailureCounters.Where(c => c.Key == key && c.Failures > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Failures, c => c.Failures - 1), cancellationToken);

    private async Task DeleteStaleAsync(DateTimeOffset stale, CancellationToken cancellationToken) =>
        await db.LoginFailureCounters.Where(c => c.LastFailureAt <= stale).ExecuteDeleteAsync(cancellationToken);

    private static bool IsLocked(LoginFailureCounter counter, int limit, DateTimeOffset stale) =>
        counter.Failures >= limit && counter.LastFailureAt > stale;

    private DateTimeOffset Stale(DateTimeOffset now) => now.AddMinutes(-options.Value.LockoutMinutes);

    private static string AccountKey(string username) => Bounded("account:" + username);

    private static string AddressKey(string address) => Bounded("address:" + LoginAddress.Of(address));

    private static string Bounded(string key) => key.Length <= 96 ? key : key[..96];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login counter {Key} kept changing under this attempt; refused it as locked.")]
    private static partial void LogCounterContended(ILogger logger, string key);
}
