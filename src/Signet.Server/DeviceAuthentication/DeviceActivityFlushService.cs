
namespace Signet.Server.DeviceAuthentication;

/// <summary>Flushes <see cref="DeviceActivityRecorder"/> every few seconds and once more at shutdown.</summary>
internal sealed class DeviceActivityFlushService(DeviceActivityRecorder recorder, TimeProvider time,
    Microsoft.Extensions.Options.IOptionsMonitor<DeviceSignatureOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Get(DeviceSignatureDefaults.AuthenticationScheme).ActivityFlushInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await recorder.FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down: StopAsync writes the rest
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await recorder.FlushAsync(cancellationToken);
    }
}
