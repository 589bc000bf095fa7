namespace Signet.Server.DeviceAuthentication;

/// <summary>What a replay cache said about one nonce.</summary>
internal enum NonceOutcome
{
    /// <summary>First use: the nonce is now remembered and the request may be served.</summary>
    Recorded,

    /// <summary>The nonce was already used within its lifetime: a replay.</summary>
    Replayed,

    /// <summary>The cache cannot tell (its database is unreachable, or it is full): an outage, not an attack.</summary>
    Unavailable,
}

/// <summary>Replay cache: remembers signature nonces until they could no longer pass the clock-skew check.</summary>
internal interface INonceStore
{
    /// <summary>Records the nonce, given in its canonical form (<c>DeviceSignatureResult.CanonicalNonce</c>). Call
    /// only after the signature verified, so forged requests cannot burn nonces. A nonce whose answer was
    /// <see cref="NonceOutcome.Unavailable"/> is not remembered: the request it came with was not served.</summary>
    ValueTask<NonceOutcome> RecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
