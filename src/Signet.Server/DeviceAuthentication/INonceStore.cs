using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Replay cache: remembers signature nonces until they could no longer pass the clock-skew check.</summary>
internal interface INonceStore
{
    /// <summary>Records the nonce; false when it was already recorded (a replay) or cannot be recorded safely.
    /// Call only after the signature verified, so forged requests cannot burn nonces.</summary>
    ValueTask<bool> TryRecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>One node's replay cache, in memory and bounded.</summary>
internal sealed class MemoryNonceStore(IOptionsMonitor<DeviceSignatureOptions> options, TimeProvider time, ILogger<MemoryNonceStore> logger) : INonceStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _nonces = new(StringComparer.Ordinal);
    private readonly Lock _purgeLock = new();

    public ValueTask<bool> TryRecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var capacity = options.Get(DeviceSignatureDefaults.AuthenticationScheme).NonceCapacity;
        if (_nonces.Count >= capacity)
        {
            Purge();
            if (_nonces.Count >= capacity)
            {
                logger.NonceStoreFull(capacity);
                return ValueTask.FromResult(false);
            }
        }

        var now = time.GetUtcNow();
        while (true)
        {
            if (_nonces.TryAdd(nonce, expiresAt))
            {
                return ValueTask.FromResult(true);
            }

            // A nonce whose entry has expired may be reused: it would fail the skew check if it were a replay.
            if (_nonces.TryGetValue(nonce, out var existing) && existing <= now &&
                _nonces.TryUpdate(nonce, expiresAt, existing))
            {
                return ValueTask.FromResult(true);
            }

            if (_nonces.ContainsKey(nonce))
            {
                return ValueTask.FromResult(false);
            }
        }
    }

    internal int Count => _nonces.Count;

    private void Purge()
    {
        lock (_purgeLock)
        {
            var now = time.GetUtcNow();
            foreach (var (nonce, expiresAt) in _nonces)
            {
                if (expiresAt <= now)
                {
                    _nonces.TryRemove(new KeyValuePair<string, DateTimeOffset>(nonce, expiresAt));
                }
            }
        }
    }
}
