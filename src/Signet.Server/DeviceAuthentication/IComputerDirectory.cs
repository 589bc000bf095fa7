namespace Signet.Server.DeviceAuthentication;

/// <summary>UDID → enrolled computer id, for requests served on <c>Signet-Device</c> alone, and the computer's
/// check-in state; both forgotten together when the computer's certificates change.</summary>
internal interface IComputerDirectory
{
    /// <summary>The computer id, or null when no computer with that UDID is enrolled.</summary>
    ValueTask<string?> FindComputerIdAsync(string udid, CancellationToken cancellationToken);

    /// <summary>The computer's check-in state, loaded from the database on a miss; null when the computer is gone.</summary>
    ValueTask<CheckInState?> FindCheckInStateAsync(string udid, string computerId, CancellationToken cancellationToken);

    /// <summary>Forgets the UDID's computer id and check-in state (enrolled, renewed, revoked, deleted).</summary>
    void InvalidateUdid(string udid);

    /// <summary>The computer's inventory is known to have arrived at <paramref name="at"/> (just received, or read from
    /// the database): a cached check-in state takes that time if it is later than the one it holds, so the next check-in
    /// neither asks for another inventory nor asks the database.</summary>
    void InventoryReceived(string udid, DateTimeOffset at);
}
