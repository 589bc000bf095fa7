using Microsoft.EntityFrameworkCore;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Data;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Forgets what other nodes' certificate changes made stale in the device directory; the resync re-reads the
/// keyids whose certificates were revoked or superseded since the last one.</summary>
internal sealed class DeviceDirectoryClusterListener(CachingDeviceDirectory directory, IServiceScopeFactory scopes) : IClusterListener
{
    public bool Apply(ClusterEvent clusterEvent)
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
                break;
            default:
                directory.InvalidateAll();
                break;
        }

        return false;
    }

    public async Task ResyncAsync(DateTimeOffset since, CancellationToken cancellationToken)
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
}
