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
