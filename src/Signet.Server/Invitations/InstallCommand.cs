using System.Security.Cryptography.X509Certificates;
using Signet.Server.AgentDownloads;
using Signet.Server.CertificateAuthority;

namespace Signet.Server.Invitations;

/// <summary>The one line an administrator pastes into a computer's terminal to install the agent and enroll it. It
/// trusts the server no more than <c>signet enroll --ca-fingerprint</c> does: the CA certificate is fetched into a
/// private temporary folder and must match the pinned fingerprint before <c>/install.sh</c> is fetched over TLS that
/// trusts that CA alone; the script pins the same fingerprint again for the build and the enrollment.</summary>
internal static class InstallCommand
{
    public static string For(HttpRequest request, string invitationCode, X509Certificate2 caCertificate) =>
        For($"{request.Scheme}://{request.Host}", invitationCode, caCertificate);

    public static string For(string serverUrl, string invitationCode, X509Certificate2 caCertificate)
    {
        var fingerprint = CaFingerprint.Sha256Hex(caCertificate);
        return $"d=$(mktemp -d) && curl -fsSk {serverUrl}/agent/v1/ca -o \"$d/ca.pem\" && " +
            $"{{ [ \"$(openssl x509 -in \"$d/ca.pem\" -noout -fingerprint -sha256 | cut -d= -f2)\" = \"{fingerprint}\" ] || " +
            "{ echo 'signet: the server CA does not match the pinned fingerprint' >&2; false; }; } && " +
            $"curl -fsS --cacert \"$d/ca.pem\" {serverUrl}{AgentDownloadEndpoints.InstallScriptPath} | " +
            $"sudo sh -s -- --invitation {invitationCode} --ca-fingerprint {fingerprint}";
    }
}
