using Npgsql;
using Signet.Server.Cluster;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Sweeps the shared replay cache now and then; every node does, which is harmless.</summary>
internal sealed partial class NonceSweepService(PostgresNonceStore store, Microsoft.Extensions.Options.IOptions<ClusterOptions> options,
    TimeProvider time, ILogger<NonceSweepService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.NonceSweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    LogSweepFailed(e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 605, Level = LogLevel.Warning, Message = "Sweeping the shared replay cache failed")]
    private partial void LogSweepFailed(Exception exception);
}
