using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>Handler list shared by the implementations.</summary>
internal abstract class ClusterEventsBase : IClusterEvents
{
    private readonly Lock _lock = new();
    private Action<ClusterEvent>[] _handlers = [];

    public abstract Task AnnounceAsync(SignetDbContext db, ClusterEvent clusterEvent, CancellationToken cancellationToken);

    public IDisposable Subscribe(Action<ClusterEvent> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers, handler];
        }

        return new Subscription(this, handler);
    }

    /// <summary>Hands an event from another node to every subscriber.</summary>
    protected void Dispatch(ClusterEvent clusterEvent)
    {
        foreach (var handler in Volatile.Read(ref _handlers))
        {
            handler(clusterEvent);
        }
    }

    private void Unsubscribe(Action<ClusterEvent> handler)
    {
        lock (_lock)
        {
            _handlers = [.. _handlers.Where(h => h != handler)];
        }
    }

    private sealed class Subscription(ClusterEventsBase owner, Action<ClusterEvent> handler) : IDisposable
    {
        public void Dispose() => owner.Unsubscribe(handler);
    }
}
