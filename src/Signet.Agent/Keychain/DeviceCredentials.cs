using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain.Keys;
using Signet.Protocol.Signatures;

namespace Signet.Agent.Keychain;

/// <summary>What an opened keychain offers: the configuration, the device certificate, the trusted CA and a signing
/// key. The private key itself stays inside; callers only get <see cref="IRequestSigningKey"/>.</summary>
internal sealed class DeviceCredentials(
    AgentConfig config,
    X509Certificate2 certificate,
    X509Certificate2Collection caCertificates,
    DeviceKeyType keyType,
    IRequestSigningKey signingKey,
    IDisposable keyOwner,
    bool renewalPending = false) : IDisposable
{
    public AgentConfig Config { get; } = config;
    public X509Certificate2 Certificate { get; } = certificate;
    public X509Certificate2Collection CaCertificates { get; } = caCertificates;
    public DeviceKeyType KeyType { get; } = keyType;
    public IRequestSigningKey SigningKey { get; } = signingKey;

    /// <summary>Where the device key is held (a file, or a token and whether it can be exported).</summary>
    public KeyPlacement KeyPlacement { get; init; } = KeyPlacement.File;

    /// <summary>A renewal key is stored but its certificate has not arrived (the answer was lost): renew now, with it.</summary>
    public bool RenewalPending { get; } = renewalPending;

    public void Dispose()
    {
        keyOwner.Dispose();
        Certificate.Dispose();
        foreach (var ca in CaCertificates)
        {
            ca.Dispose();
        }
    }
}
