using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Signet.Server.Cluster;

/// <summary>Keeps this node's memory in step with the others: hands each event from another node to every
/// <see cref="IClusterListener"/>, and every <see cref="ClusterOptions.ResyncInterval"/> asks them to re-read what
/// changed, in case a notification was lost.</summary>
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
    private readonly IClusterListener[] _listeners = [.. listeners];
    private readonly ConditionalWeakTable<IClusterListener, StrongBox<int>> _dirty = new();

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
                foreach (var each in _listeners)
                {
                    await ResyncAsync(each, since - ClockMargin, stoppingToken);
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
        foreach (var each in _listeners)
        {
            if (each.Apply(clusterEvent))
            {
                ResyncSoon(each);
            }
        }
    }

    /// <summary>One re-read for a burst of events: a flag set while one is queued.</summary>
    private void ResyncSoon(IClusterListener listener)
    {
        var dirty = _dirty.GetValue(listener, _ => new StrongBox<int>());
        if (Interlocked.Exchange(ref dirty.Value, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                Volatile.Write(ref dirty.Value, 0);
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
