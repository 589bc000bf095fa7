using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Signet.Server.DeviceAuthentication;

/// <summary>One node's replay cache, in memory and bounded.</summary>
internal sealed class MemoryNonceStore(IOptionsMonitor<DeviceSignatureOptions> options, TimeProvider time, ILogger<MemoryNonceStore> logger) : INonceStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private readonly Lock _purgeLock = new();
    private long _lastPurgeTicks;

    // Kept beside the dictionary: ConcurrentDictionary.Count takes every one of its locks, and it was asked on every
    // signed request (a tenth of the signature's server CPU in a profile of the check-in benchmark).
    private int _count;

    public ValueTask<NonceOutcome> RecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var capacity = options.Get(DeviceSignatureDefaults.AuthenticationScheme).NonceCapacity;
        var now = time.GetUtcNow();
        // Sweep expired nonces now and then, so memory follows the request rate rather than creeping to capacity.
        if (now.UtcTicks - Interlocked.Read(ref _lastPurgeTicks) > PurgeInterval.Ticks)
        {
            Purge(force: false);
        }

        if (Volatile.Read(ref _count) >= capacity)
        {
            Purge(force: true);
            if (Volatile.Read(ref _count) >= capacity)
            {
                logger.NonceStoreFull(capacity);
                return ValueTask.FromResult(NonceOutcome.Unavailable);
            }
        }

        while (true)
        {
            if (_nonces.TryAdd(nonce, expiresAt))
            {
                Interlocked.Increment(ref _count);
                return ValueTask.FromResult(NonceOutcome.Recorded);
            }

            // A nonce whose entry has expired may be reused: it would fail the skew check if it were a replay.
            if (_nonces.TryGetValue(nonce, out var existing) && existing <= now &&
                _nonces.TryUpdate(nonce, expiresAt, existing))
            {
                return ValueTask.FromResult(NonceOutcome.Recorded);
            }

            if (_nonces.ContainsKey(nonce))
            {
                return ValueTask.FromResult(NonceOutcome.Replayed);
            }
        }
    }

    /// <summary>Takes back a nonce this store recorded with <paramref name="expiresAt"/>, when the request it came with
    /// could not be served after all (the shared cache behind this one was unavailable).</summary>
    public void Forget(string nonce, DateTimeOffset expiresAt) => Remove(nonce, expiresAt);

    private void Remove(string nonce, DateTimeOffset expiresAt)
    {
        if (_nonces.TryRemove(new KeyValuePair<string, DateTimeOffset>(nonce, expiresAt)))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    internal int Count => _nonces.Count;

    private void Purge(bool force)
    {
        lock (_purgeLock)
        {
            var now = time.GetUtcNow();
            if (!force && now.UtcTicks - Interlocked.Read(ref _lastPurgeTicks) <= PurgeInterval.Ticks)
            {
                return; // another request swept while this one waited for the lock
            }

            Interlocked.Exchange(ref _lastPurgeTicks, now.UtcTicks);
            foreach (var (nonce, expiresAt) in _nonces)
            {
                if (expiresAt <= now)
                {
                    Remove(nonce, expiresAt);
                }
            }
        }
    }
}
