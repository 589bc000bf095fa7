using System.Security.Cryptography.X509Certificates;

namespace Signet.Agent.Keychain;

/// <summary>Where the device key, certificate, trusted CA and agent configuration live. The file keychain is one
/// implementation; a macOS Keychain, Secure Enclave or TPM store can be another, since the private key never
/// leaves the implementation (callers sign through <see cref="DeviceCredentials.SigningKey"/>).</summary>
internal interface IKeychain
{
    /// <summary>Where the keychain is, for messages.</summary>
    string Location { get; }

    /// <summary>Opens the keychain, finishing or discarding an interrupted renewal first. Returns null when there is
    /// no keychain (not enrolled); throws <see cref="KeychainException"/> when it is unsafe or damaged.</summary>
    DeviceCredentials? Open();

    /// <summary>Generates a key pair that this keychain can later store.</summary>
    PendingDeviceKey GenerateKey(DeviceKeyType type);

    /// <summary>Stores a whole new enrollment (replacing any earlier one): key, certificate, CA and config.</summary>
    void Create(AgentConfig config, PendingDeviceKey key, X509Certificate2 certificate, X509Certificate2Collection caCertificates);

    /// <summary>Swaps in a renewed key and certificate such that a crash at any point leaves a working keychain.</summary>
    void ReplaceIdentity(PendingDeviceKey key, X509Certificate2 certificate);

    /// <summary>Rewrites the configuration (e.g. last contact).</summary>
    void SaveConfig(AgentConfig config);

    /// <summary>Deletes the keychain; true when there was one.</summary>
    bool Remove();
}
