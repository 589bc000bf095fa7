using System.Diagnostics.Metrics;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Counts agent requests that met an unavailable replay cache (<c>signet.replay_cache.unavailable</c>), so an
/// outage shows on a dashboard as an outage rather than as replays.</summary>
internal sealed class ReplayCacheMetrics
{
    public const string MeterName = Observability.SignetMetrics.MeterName;

    private readonly Counter<long> _unavailable;
    private readonly Histogram<double> _duration;

    public ReplayCacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _unavailable = meter.CreateCounter<long>("signet.replay_cache.unavailable", "{request}",
            "Signed agent requests the replay cache could not answer for (refused service-unavailable, or served unsigned when signatures are not required).");
        _duration = meter.CreateHistogram<double>("signet.replay_cache.duration", "s",
            "Time the replay cache took to record a nonce (in memory, or the shared cache on PostgreSQL).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 3] });
    }

    public void Recorded(TimeSpan duration, NonceOutcome outcome) => _duration.Record(duration.TotalSeconds,
        new KeyValuePair<string, object?>("outcome", outcome switch
        {
            NonceOutcome.Recorded => "recorded",
            NonceOutcome.Replayed => "replayed",
            _ => "unavailable",
        }));

    public void Unavailable(bool served) => _unavailable.Add(1, new KeyValuePair<string, object?>("served", served));
}
