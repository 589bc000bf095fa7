using Signet.Server.Data;

namespace Signet.Server.Tests.Architecture;

public sealed class FeatureDependencyTests
{
    private static readonly string[] Layers =
    [
        "Hosting", "Data", "Observability", "Problems", "CertificateAuthority", "Cluster", "Audit", "Settings", "DeviceAuthentication",
        "Lifecycle", "Invitations", "Enrollment", "Computers", "Health", "AgentDownloads", "ApiDocumentation", "AdminApi", "WebConsole",
    ];

    [Fact]
    public void Dump()
    {
        var edges = FeatureReferences.Of(typeof(Program).Assembly, typeof(SignetDbContext));
        File.WriteAllLines("/tmp/featdump/edges.txt", edges.Where(e => Array.IndexOf(Layers, e.Key.From) <= Array.IndexOf(Layers, e.Key.To)).OrderBy(e => e.Key.From).ThenBy(e => e.Key.To).Select(e => $"{e.Key.From} -> {e.Key.To}: {e.Value}"));
    }
}
