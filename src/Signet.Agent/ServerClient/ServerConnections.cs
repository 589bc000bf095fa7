using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;

namespace Signet.Agent.ServerClient;

/// <summary>The HTTP clients the agent talks to the server with. After enrollment https trusts only the Signet CA
/// stored in the keychain, never the system roots, and every request is signed.</summary>
internal static class ServerConnections
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>For <c>GET /agent/v1/ca</c> only: nothing is trusted yet, so the certificate is not validated here;
    /// what is fetched is trusted only after its fingerprint is compared or shown to the administrator.</summary>
    public static HttpClient ForCaBootstrap(Uri server)
    {
        var handler = new SocketsHttpHandler();
#pragma warning disable CA5359 // Deliberate and scoped to fetching the CA: trust comes from the fingerprint check that follows.
        handler.SslOptions.RemoteCertificateValidationCallback = AcceptAnyCertificate;
#pragma warning restore CA5359
        return Create(server, handler);
    }

    /// <summary>Unsigned requests (enroll) to a server whose TLS certificate must chain to <paramref name="caCertificates"/>.</summary>
    public static HttpClient Trusting(Uri server, X509Certificate2Collection caCertificates) =>
        Create(server, TrustingHandler(caCertificates));

    /// <summary>Signed requests of the signet-device profile, over https trusting only the Signet CA.</summary>
    public static HttpClient Signed(Uri server, X509Certificate2Collection caCertificates, string udid, IRequestSigningKey key, TimeProvider timeProvider)
    {
        var signing = new DeviceSigningHandler(udid, key, timeProvider) { InnerHandler = TrustingHandler(caCertificates) };
        return Create(server, signing);
    }

    private static SocketsHttpHandler TrustingHandler(X509Certificate2Collection caCertificates)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // The agent has no CRL distribution point to reach before it is enrolled; the server's own TLS
            // certificate is checked against the stored CA only.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(caCertificates);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = policy;
        return handler;
    }

    private static HttpClient Create(Uri server, HttpMessageHandler handler) => new(handler, disposeHandler: true)
    {
        BaseAddress = new Uri(server.AbsoluteUri.TrimEnd('/') + "/"),
        Timeout = Timeout,
    };

    private static bool AcceptAnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
