using Signet.Server.Cluster;

namespace Signet.Server.Settings;

/// <summary>Reads the Security settings again when another node changed them (or events may have been missed), and on
/// every resync.</summary>
internal sealed class SecuritySettingsClusterListener(SecuritySettingsSnapshot settings, TimeProvider time) : IClusterListener
{
    public bool Apply(ClusterEvent clusterEvent) => clusterEvent is not CertificatesChanged;

    public Task ResyncAsync(DateTimeOffset since, CancellationToken cancellationToken) => settings.InitializeAsync(time, cancellationToken);
}
