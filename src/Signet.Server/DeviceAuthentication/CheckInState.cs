namespace Signet.Server.DeviceAuthentication;

/// <summary>What a check-in answers from: the computer's current certificate (its validity), whether a renewed
/// certificate waits unused, and when the last inventory arrived.</summary>
internal sealed record CheckInState(
    string? CurrentKeyId,
    DateTimeOffset CurrentNotBefore,
    DateTimeOffset CurrentNotAfter,
    bool HasPendingRenewal,
    DateTimeOffset? LastInventoryAt);
