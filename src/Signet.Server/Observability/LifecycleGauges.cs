using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.Enrollment;

namespace Signet.Server.Observability;

/// <summary>Gauges read from the database every <see cref="MetricsOptions.SampleInterval"/> (a scrape never waits on
/// it): current certificates by how soon they expire, and enrollment requests waiting for an administrator.</summary>
internal sealed partial class LifecycleGauges : BackgroundService
{
    /// <summary>The <c>expires_within</c> label values, in order; a certificate counts in the first that holds it.</summary>
    private static readonly (string Label, int Days)[] Buckets = [("expired", 0), ("7d", 7), ("30d", 30), ("90d", 90), ("more", int.MaxValue)];

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly IOptions<MetricsOptions> _options;
    private readonly ILogger<LifecycleGauges> _logger;
    private volatile Snapshot? _snapshot;

    public LifecycleGauges(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, IOptions<MetricsOptions> options,
        ILogger<LifecycleGauges> logger)
    {
        _scopes = scopes;
        _time = time;
        _options = options;
        _logger = logger;
        var meter = meters.Create(SignetMetrics.MeterName);
        meter.CreateObservableGauge("signet.certificates", ObserveCertificates, "{certificate}",
            "Current device certificates (including renewed ones not used yet) by expires_within: expired, 7d, 30d, 90d, more.");
        meter.CreateObservableGauge("signet.enrollment_requests.pending", ObservePending, "{request}",
            "Enrollment requests held for an administrator's approval and not expired.");
    }

    /// <summary>Reads the figures now (also used by tests instead of waiting for the interval).</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var now = _time.GetUtcNow();
        var expiries = await db.IssuedCertificates.AsNoTracking()
            .Where(c => c.Status == CertificateStatus.Current || c.Status == CertificateStatus.Pending)
            .Select(c => c.NotAfter)
            .ToListAsync(cancellationToken);
        var pending = await db.EnrollmentRequests.AsNoTracking()
            .CountAsync(r => r.Status == EnrollmentRequestStatus.Pending && r.ExpiresAt > now, cancellationToken);
        var counts = new long[Buckets.Length];
        foreach (var notAfter in expiries)
        {
            var days = (notAfter - now).TotalDays;
            counts[Array.FindIndex(Buckets, b => days <= b.Days)]++;
        }

        _snapshot = new Snapshot(counts, pending);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Value.SampleInterval, _time);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                // The gauges keep their last figures; /healthz/ready reports the database.
                LogSampleFailed(e.GetType().Name, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private IEnumerable<Measurement<long>> ObserveCertificates()
    {
        if (_snapshot is not { } snapshot)
        {
            yield break;
        }

        for (var i = 0; i < Buckets.Length; i++)
        {
            yield return new Measurement<long>(snapshot.Certificates[i], new KeyValuePair<string, object?>("expires_within", Buckets[i].Label));
        }
    }

    private IEnumerable<Measurement<long>> ObservePending()
    {
        if (_snapshot is { } snapshot)
        {
            yield return new Measurement<long>(snapshot.PendingRequests);
        }
    }

    [LoggerMessage(EventId = 711, Level = LogLevel.Warning, Message = "Metrics: the certificate and request gauges could not be read ({ErrorType}: {Error})")]
    private partial void LogSampleFailed(string errorType, string error);

    private sealed record Snapshot(long[] Certificates, long PendingRequests);
}
