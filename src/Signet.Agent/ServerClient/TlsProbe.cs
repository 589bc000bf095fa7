using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Agent.ServerClient;

/// <summary>Tells whether a port that failed a plain-http request answers a TLS handshake instead, so the message can
/// say "use https" rather than "cannot reach". Nothing is sent after the handshake and no certificate is trusted.</summary>
internal static class TlsProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<bool> SpeaksTlsAsync(Uri server, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port, timeout.Token).ConfigureAwait(false);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = server.Host,
                    // Only whether the handshake completes matters; the connection is closed right after.
#pragma warning disable CA5359 // Nothing is sent over this connection and nothing it presents is trusted.
                    RemoteCertificateValidationCallback = AnyCertificate,
#pragma warning restore CA5359
                },
                timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }

    private static bool AnyCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
