namespace Signet.Server.DeviceAuthentication;

/// <summary>Replay cache: remembers signature nonces until they could no longer pass the clock-skew check.</summary>
internal interface INonceStore
{
    /// <summary>Records the nonce, given in its canonical form (<c>DeviceSignatureResult.CanonicalNonce</c>). Call
    /// only after the signature verified, so forged requests cannot burn nonces. A nonce whose answer was
    /// <see cref="NonceOutcome.Unavailable"/> is not remembered: the request it came with was not served.</summary>
    ValueTask<NonceOutcome> RecordAsync(string nonce, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}
