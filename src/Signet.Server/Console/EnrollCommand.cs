using System.Security.Cryptography.X509Certificates;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.WebConsole;

/// <summary>The <c>signet enroll</c> command an administrator copies to a computer, the same for a general invitation
/// and a re-enrollment invitation: this server's address as the browser reached it, the code, and the CA fingerprint
/// the agent pins before it trusts anything the server says.</summary>
internal static class EnrollCommand
{
    public static string For(HttpRequest request, string invitationCode, X509Certificate2 caCertificate) =>
        $"signet enroll --server {request.Scheme}://{request.Host} --invitation {invitationCode} " +
        $"--ca-fingerprint {CaFingerprint.Sha256Hex(caCertificate)}";
}
