using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Keychain.Keys;

namespace Signet.Agent.Keychain;

/// <summary>Where the device key, certificate, trusted CA and agent configuration live. The file keychain is one
/// implementation; a macOS Keychain, Secure Enclave or TPM store can be another, since the private key never
/// leaves the implementation (callers sign through <see cref="DeviceCredentials.SigningKey"/>).</summary>
/// <remarks>Every key is stored before the CSR made from it is sent (docs/lifecycle.md): the server answers a repeated
/// request for the same key with the same certificate, so an answer lost to a crash or a dropped connection is
/// fetched again by sending the stored key's CSR once more.</remarks>
internal interface IKeychain
{
    /// <summary>Where the keychain is, for messages.</summary>
    string Location { get; }

    /// <summary>Opens the keychain, finishing an interrupted swap first. Returns null when there is no keychain
    /// (not enrolled); throws <see cref="KeychainException"/> when it is unsafe or damaged.</summary>
    DeviceCredentials? Open();

    /// <summary>Generates a key pair that this keychain can later store.</summary>
    PendingDeviceKey GenerateKey(DeviceKeyType type);

    /// <summary>Stores a whole new enrollment (replacing any earlier one): key, certificate, CA and config; an
    /// enrollment in progress is finished by it.</summary>
    void Create(AgentConfig config, PendingDeviceKey key, X509Certificate2 certificate, X509Certificate2Collection caCertificates);

    /// <summary>Swaps in a renewed key and certificate such that a crash at any point leaves a working keychain.</summary>
    void ReplaceIdentity(PendingDeviceKey key, X509Certificate2 certificate);

    /// <summary>The renewal key stored before its CSR was sent and not yet certified; null when no renewal is pending.</summary>
    PendingDeviceKey? OpenPendingRenewalKey();

    /// <summary>Stores a renewal key before its CSR is sent.</summary>
    void SavePendingRenewalKey(PendingDeviceKey key);

    /// <summary>Forgets the pending renewal key (the server refused it); the current pair stays.</summary>
    void DiscardPendingRenewalKey();

    /// <summary>The enrollment in progress, or null when there is none (or it was finished by <see cref="Create"/>).</summary>
    PendingEnrollment? OpenPendingEnrollment();

    /// <summary>Stores the key and state of a new enrollment before its CSR is sent, replacing one in progress.</summary>
    void StartEnrollment(EnrollmentProgress progress, PendingDeviceKey key);

    /// <summary>Rewrites the state of the enrollment in progress (e.g. the server now holds it).</summary>
    void SaveEnrollmentProgress(EnrollmentProgress progress);

    /// <summary>Forgets the enrollment in progress (denied, gone, or replaced by another).</summary>
    void DiscardEnrollment();

    /// <summary>Rewrites the configuration (e.g. last contact).</summary>
    void SaveConfig(AgentConfig config);

    /// <summary>Deletes the keychain, an enrollment in progress included; true when there was anything.</summary>
    bool Remove();
}
