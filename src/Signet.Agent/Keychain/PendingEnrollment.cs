namespace Signet.Agent.Keychain;

/// <summary>An enrollment in progress as the keychain holds it: its state and the key its CSR is made from. The same
/// key is sent again until a certificate for it is stored, so the server answers a repeated request with the
/// certificate or held request it already has.</summary>
internal sealed class PendingEnrollment(EnrollmentProgress progress, PendingDeviceKey key) : IDisposable
{
    public EnrollmentProgress Progress { get; } = progress;

    public PendingDeviceKey Key { get; } = key;

    public void Dispose() => Key.Dispose();
}
