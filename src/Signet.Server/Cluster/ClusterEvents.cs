using Signet.Server.Data;

namespace Signet.Server.Cluster;

/// <summary>Something one node changed that the others hold in memory.</summary>
internal abstract record ClusterEvent;

/// <summary>Certificates changed status (revoked, superseded, issued) or a computer was (re-)enrolled: forget these
/// keyids and UDIDs in the device directory.</summary>
internal sealed record CertificatesChanged(IReadOnlyList<string> KeyIds, IReadOnlyList<string> Udids) : ClusterEvent;

/// <summary>The Security settings changed: read them again.</summary>
internal sealed record SettingsChanged : ClusterEvent
{
    public static readonly SettingsChanged Instance = new();
}

/// <summary>Events may have been missed (the listener was disconnected): drop every cached entry and re-read.</summary>
internal sealed record ResyncNeeded : ClusterEvent
{
    public static readonly ResyncNeeded Instance = new();
}

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

/// <summary>SQLite: one node, so there is nobody to tell.</summary>
internal sealed class LocalClusterEvents : ClusterEventsBase
{
    public override Task AnnounceAsync(SignetDbContext db, ClusterEvent clusterEvent, CancellationToken cancellationToken) => Task.CompletedTask;
}
