using Signet.Server.Data;

namespace Signet.Server.Tests.Architecture;

public sealed class FeatureDependencyTests
{
    private static readonly string[] Layers =
    [
        "Problems", "Hosting", "Data", "Observability", "AgentDownloads", "CertificateAuthority", "Tls", "Cluster", "Audit", "AdminApi",
        "Settings", "DeviceAuthentication", "Invitations", "Lifecycle", "Enrollment", "Computers", "Health", "ApiDocumentation",
        "WebConsole", "Startup",
    ];

    [Fact]
    public void Dump()
    {
        var edges = FeatureReferences.Of(typeof(Program).Assembly, typeof(SignetDbContext));
        File.WriteAllLines("/tmp/featdump/edges.txt", edges.Where(e => Array.IndexOf(Layers, e.Key.From) <= Array.IndexOf(Layers, e.Key.To) || Array.IndexOf(Layers, e.Key.From) < 0 || Array.IndexOf(Layers, e.Key.To) < 0).OrderBy(e => e.Key.From).ThenBy(e => e.Key.To).Select(e => $"{e.Key.From} -> {e.Key.To}: {e.Value}"));
    }
}
