namespace Signet.Server.Cluster;

/// <summary><c>Signet:Cluster</c>: how nodes sharing one PostgreSQL database stay in step.</summary>
internal sealed class ClusterOptions
{
    public const string Section = "Signet:Cluster";

    /// <summary>How often each node re-reads the settings and recent certificate changes in case a notification was lost.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often expired nonces are deleted from the shared replay cache.</summary>
    public TimeSpan NonceSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a request waits for the shared replay cache before it is refused <c>service-unavailable</c>.</summary>
    public TimeSpan ReplayCacheTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
