namespace Signet.Server.DeviceAuthentication;

/// <summary>What the scheme calls on the first valid signature with a renewed (pending) certificate, so the certificate
/// takes over from its predecessor; the certificate lifecycle owns that change.</summary>
internal interface IRenewedCertificateActivation
{
    Task ActivateAsync(string keyId, string udid, string sourceAddress, CancellationToken cancellationToken);
}
