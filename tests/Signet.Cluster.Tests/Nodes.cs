namespace Signet.Cluster.Tests;

/// <summary>Cluster nodes (the kit's <see cref="ServerProcess"/>) and their clients, which address every node by the
/// one name a load balancer would put in front of them.</summary>
public static class Nodes
{
    /// <summary>The name agents address; nodes set <c>Signet:PublicAuthority</c> to it, as behind a load balancer.</summary>
    public const string PublicAuthority = "signet.test";

    /// <summary>Starts a node (an ECDSA CA, which starts faster); <see cref="ServerProcess.WaitUntilReadyAsync"/> before using it.</summary>
    public static ServerProcess Start(IReadOnlyDictionary<string, string> environment, string? dataDirectory = null) =>
        ServerProcess.Start(new ServerProcessOptions
        {
            DataDirectory = dataDirectory,
            Environment = new Dictionary<string, string>(environment) { ["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256" },
        });

    public static HttpClient Client(this ServerProcess node) => Addressed(new HttpClient(node.NewHandler()) { BaseAddress = node.BaseAddress });

    public static HttpClient SigningClient(this ServerProcess node, TestDevice device, DelegatingHandler? afterSigning = null) =>
        Addressed(device.SignedClient(node.NewHandler(), node.BaseAddress, afterSigning: afterSigning));

    public static Task<HttpClient> AdminAsync(this ServerProcess node) => node.Client().LoginAsync(ServerProcess.DefaultAdminPassword);

    private static HttpClient Addressed(HttpClient client)
    {
        client.Timeout = TimeSpan.FromSeconds(60);
        client.DefaultRequestHeaders.Host = PublicAuthority;
        return client;
    }
}
