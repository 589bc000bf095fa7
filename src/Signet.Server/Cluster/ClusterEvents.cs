
namespace Signet.Server.Cluster;

/// <summary>Something one node changed that the others hold in memory.</summary>
internal abstract record ClusterEvent;

/// <summary>Certificates changed status (revoked, superseded, issued) or a computer was (re-)enrolled: forget these
/// keyids and UDIDs in the device directory.</summary>
internal sealed record CertificatesChanged(IReadOnlyList<string> KeyIds, IReadOnlyList<string> Udids) : ClusterEvent;

/// <summary>The Security settings changed: read them again.</summary>
internal sealed record SettingsChanged : ClusterEvent
{
    public static readonly SettingsChanged Instance = new();
}

/// <summary>Events may have been missed (the listener was disconnected): drop every cached entry and re-read.</summary>
internal sealed record ResyncNeeded : ClusterEvent
{
    public static readonly ResyncNeeded Instance = new();
}
