using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>Agent-side HTTP clients of the in-process host: the real signing handler over the test server.</summary>
public static class DeviceClients
{
    /// <summary>A client that signs like the agent. <paramref name="afterSigning"/> sees (and may tamper with) the
    /// signed request before it reaches the server; <paramref name="nonce"/> replaces the fresh random nonce.</summary>
    public static HttpClient SigningClient(this SignetFactory factory, TestDevice device, string? udid = null, TimeProvider? clock = null,
        DelegatingHandler? afterSigning = null, IRequestSigningKey? key = null, Func<string>? nonce = null) =>
        factory.SigningClient(udid ?? device.Udid, key ?? device.SigningKey, clock, afterSigning, nonce);

    public static HttpClient SigningClient(this SignetFactory factory, string udid, IRequestSigningKey key, TimeProvider? clock = null,
        DelegatingHandler? afterSigning = null, Func<string>? nonce = null)
    {
        var signing = TestDevice.Signing(udid, key, factory.Server.CreateHandler(), clock ?? factory.Time, afterSigning);
        if (nonce is not null)
        {
            // The nonce source is internal to Signet.Protocol, which lets this project (not the kit) replace it.
            signing = new DeviceSigningHandler(udid, key, clock ?? factory.Time) { InnerHandler = signing.InnerHandler!, NewNonce = nonce };
        }

        return new HttpClient(signing) { BaseAddress = factory.Server.BaseAddress };
    }

    public static X509Certificate2 CertificateFromPem(string pem) => X509Certificate2.CreateFromPem(pem);
}
