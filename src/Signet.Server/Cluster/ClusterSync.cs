using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Signet.Server.Cluster;

/// <summary>Keeps this node's memory in step with the others: hands each event from another node to every
/// <see cref="IClusterListener"/>, and every <see cref="ClusterOptions.ResyncInterval"/> asks them to re-read what
/// changed, in case a notification was lost. The CRL needs nothing: every node reads it from the database.</summary>
internal sealed partial class ClusterSync(
    IClusterEvents events,
    IEnumerable<IClusterListener> listeners,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterSync> logger) : BackgroundService
{
    // Another node's clock may run behind this one's: look a little further back than the last resync.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(2);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Each listener, with a flag set while a re-read for it is queued.</summary>
    private readonly (IClusterListener Listener, StrongBox<int> Queued)[] _listeners = [.. listeners.Select(l => (l, new StrongBox<int>()))];

    /// <summary>Completes once this node listens for the others' events (at once on one node).</summary>
    public Task Listening => _listening.Task;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        events.Subscribe(Apply);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (events is not PostgresClusterEvents postgres)
        {
            _listening.TrySetResult();
            return; // one node: nothing to keep in step
        }

        var listener = postgres.ListenAsync(() => _listening.TrySetResult(), stoppingToken);
        var since = time.GetUtcNow();
        using var timer = new PeriodicTimer(options.Value.ResyncInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var (stale, _) in _listeners)
                {
                    await ResyncAsync(stale, since - ClockMargin, stoppingToken);
                }

                since = now;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await listener;
    }

    private void Apply(ClusterEvent clusterEvent)
    {
        foreach (var (listener, queued) in _listeners)
        {
            if (listener.Apply(clusterEvent))
            {
                ResyncSoon(listener, queued);
            }
        }
    }

    // Handlers run on the listener's thread: the database read happens off it, and bursts collapse into one read.
    private void ResyncSoon(IClusterListener listener, StrongBox<int> queued)
    {
        if (Interlocked.Exchange(ref queued.Value, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                Volatile.Write(ref queued.Value, 0);
                await ResyncAsync(listener, time.GetUtcNow() - ClockMargin, CancellationToken.None);
            });
        }
    }

    private async Task ResyncAsync(IClusterListener listener, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            await listener.ResyncAsync(since, cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogResyncFailed(e);
        }
    }

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Cluster resync failed; the next interval tries again")]
    private partial void LogResyncFailed(Exception exception);
}
