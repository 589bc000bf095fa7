using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Settings;

namespace Signet.Server.Cluster;

/// <summary>Keeps this node's in-memory state (device directory, settings snapshot) in step with the others: applies
/// their announcements at once and, as a fallback for lost notifications, re-reads what changed every
/// <see cref="ClusterOptions.ResyncInterval"/>. The CRL needs nothing: every node reads it from the database.</summary>
internal sealed partial class ClusterSync(
    IClusterEvents events,
    CachingDeviceDirectory directory,
    SecuritySettingsSnapshot settings,
    CheckInSettingsSnapshot checkIn,
    IServiceScopeFactory scopes,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterSync> logger) : BackgroundService
{
    // Other nodes' clocks may differ a little from ours: look back further than one interval.
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(2);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _settingsDirty;

    /// <summary>Completes once this node listens for other nodes' events (at once on SQLite).</summary>
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
                await ResyncAsync(since - ClockMargin, stoppingToken);
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
        switch (clusterEvent)
        {
            case CertificatesChanged changed:
                foreach (var keyId in changed.KeyIds)
                {
                    directory.Invalidate(keyId);
                }

                foreach (var udid in changed.Udids)
                {
                    directory.InvalidateUdid(udid);
                }

                break;
            case SettingsChanged:
                ReloadSettingsSoon();
                break;
            default:
                directory.InvalidateAll();
                ReloadSettingsSoon();
                break;
        }
    }

    // Handlers run on the listener's thread: the database read happens off it, and bursts collapse into one read.
    private void ReloadSettingsSoon()
    {
        if (Interlocked.Exchange(ref _settingsDirty, 1) == 0)
        {
            _ = Task.Run(async () =>
            {
                Volatile.Write(ref _settingsDirty, 0);
                await ReloadSettingsAsync(CancellationToken.None);
            });
        }
    }

    private async Task ReloadSettingsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await settings.InitializeAsync(time, cancellationToken);
            await checkIn.LoadAsync(cancellationToken);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogResyncFailed(e);
        }
    }

    /// <summary>The fallback: settings, and certificates whose status changed since <paramref name="since"/>.</summary>
    private async Task ResyncAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await ReloadSettingsAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            var changed = await db.IssuedCertificates.AsNoTracking()
                .Where(c => c.Status != CertificateStatus.Current && ((c.RevokedAt != null && c.RevokedAt >= since) ||
                    (c.SupersededAt != null && c.SupersededAt >= since)))
                .Select(c => c.Thumbprint)
                .ToListAsync(cancellationToken);
            foreach (var keyId in changed)
            {
                directory.Invalidate(keyId);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            LogResyncFailed(e);
        }
    }

    [LoggerMessage(EventId = 603, Level = LogLevel.Warning, Message = "Cluster resync failed; the next interval tries again")]
    private partial void LogResyncFailed(Exception exception);
}
