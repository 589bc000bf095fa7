using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>How the nodes of a cluster tell each other what changed. The announcing node has already applied the
/// change to its own memory; subscribers hear only what other nodes announced (plus <see cref="ResyncNeeded"/>).</summary>
internal interface IClusterEvents
{
    /// <summary>Announces inside the caller's open transaction, when there is one, so other nodes hear of the change
    /// only if it commits.</summary>
    Task AnnounceAsync(SignetDbContext db, ClusterEvent clusterEvent, CancellationToken cancellationToken);

    /// <summary>Registers a handler for events from other nodes; handlers must be quick and must not throw.</summary>
    IDisposable Subscribe(Action<ClusterEvent> handler);
}
