using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Signet.Server.Data;

namespace Signet.Server.CertificateAuthority;

/// <summary>Republishes the CRL before it nears its next-update, off the request path: <c>GET /pki/crl</c> then only
/// reads, and a CA key in a token is asked for a CRL signature here about once a week, not by whichever client asks
/// first. Checks at start and every <see cref="CheckInterval"/>; a failed check (database or token away) is logged and
/// tried again at the next one, and the request path still republishes a CRL left stale.</summary>
internal sealed partial class CrlRefresher(IServiceScopeFactory scopes, CrlPublisher crl, TimeProvider time, ILogger<CrlRefresher> logger)
    : BackgroundService
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            do
            {
                await RefreshAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await crl.GetCurrentAsync(scope.ServiceProvider.GetRequiredService<SignetDbContext>(), cancellationToken);
        }
        catch (Exception e) when (e is DbException or DbUpdateException or InvalidOperationException or CaKeyUnavailableException)
        {
            LogRefreshFailed(logger, CheckInterval, e);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The CRL could not be republished; trying again in {Interval}")]
    private static partial void LogRefreshFailed(ILogger logger, TimeSpan interval, Exception exception);
}
