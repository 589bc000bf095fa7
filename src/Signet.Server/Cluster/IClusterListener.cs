namespace Signet.Server.Cluster;

/// <summary>A feature's memory that changes made on other nodes can make stale (the device directory, the Security
/// settings). Each feature registers its own; <see cref="ClusterSync"/> hands it every event from other nodes and, every
/// resync interval, asks it to re-read what a lost notification may have hidden.</summary>
internal interface IClusterListener
{
    /// <summary>Applies an event from another node (or <see cref="ResyncNeeded"/>); quick, never throws. True when the
    /// listener must re-read now: <see cref="ResyncAsync"/> then runs soon, once for a burst of events.</summary>
    bool Apply(ClusterEvent clusterEvent);

    /// <summary>Re-reads what may have changed since <paramref name="since"/>.</summary>
    Task ResyncAsync(DateTimeOffset since, CancellationToken cancellationToken);
}
