using System.Diagnostics.Metrics;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Counts agent requests that met an unavailable replay cache (<c>signet.replay_cache.unavailable</c>), so an
/// outage shows on a dashboard as an outage rather than as replays.</summary>
internal sealed class ReplayCacheMetrics
{
    public const string MeterName = "Signet.Server";

    private readonly Counter<long> _unavailable;

    public ReplayCacheMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _unavailable = meter.CreateCounter<long>("signet.replay_cache.unavailable", "{request}",
            "Signed agent requests the replay cache could not answer for (refused service-unavailable, or served unsigned when signatures are not required).");
    }

    public void Unavailable(bool served) => _unavailable.Add(1, new KeyValuePair<string, object?>("served", served));
}
