using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>SQLite: one node, so there is nobody to tell.</summary>
internal sealed class LocalClusterEvents : ClusterEventsBase
{
    public override Task AnnounceAsync(SignetDbContext db, ClusterEvent clusterEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
