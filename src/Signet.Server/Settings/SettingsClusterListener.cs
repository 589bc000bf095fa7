using Signet.Server.Cluster;

namespace Signet.Server.Settings;

/// <summary>Reads the Security and Check-In settings again when another node changed them (or events may have been
/// missed), and on every resync.</summary>
internal sealed class SettingsClusterListener(SecuritySettingsSnapshot security, CheckInSettingsSnapshot checkIn, TimeProvider time) : IClusterListener
{
    public bool Apply(ClusterEvent clusterEvent) => clusterEvent is not CertificatesChanged;

    public async Task ResyncAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await security.InitializeAsync(time, cancellationToken);
        await checkIn.LoadAsync(cancellationToken);
    }
}
