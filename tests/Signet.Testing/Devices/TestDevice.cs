using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;

namespace Signet.Testing.Devices;

/// <summary>A simulated managed computer once enrolled: its UDID, key and certificate, able to send signed requests as
/// the agent does (its signing <see cref="DelegatingHandler"/>). Uses only public HTTP and Signet.Protocol.</summary>
public sealed record TestDevice(string ComputerId, string Udid, X509Certificate2 Certificate, AsymmetricAlgorithm Key, EnrollResponse Response)
    : IDisposable
{
    /// <summary>The hostname the computer declared at enrollment.</summary>
    public string Hostname { get; init; } = HostnameOf(Udid);

    public IRequestSigningKey SigningKey => RequestSigningKey.ForDevice(Certificate, Key);

    /// <summary>The device fields an enrollment sends; by default a MacBook named after its UDID.</summary>
    public static DeviceInfo Describe(string udid, string? hostname = null, string serial = "C02TEST", string model = "MacBookPro18,3",
        KeyProtection? keyProtection = null) =>
        new(udid, serial, hostname ?? HostnameOf(udid), model, "macOS", "15.1", keyProtection);

    /// <summary>The computer a 200/201 answer with its certificate (enroll, or the poll of an approved request) makes.</summary>
    public static async Task<TestDevice> FromCertificateResponseAsync(HttpResponseMessage response, string udid, AsymmetricAlgorithm key,
        string? hostname = null)
    {
        var enrolled = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new TestDevice(enrolled.ComputerId, udid, X509Certificate2.CreateFromPem(enrolled.Certificate), key, enrolled)
        {
            Hostname = hostname ?? HostnameOf(udid),
        };
    }

    /// <summary>A client that signs every request with this computer's key over <paramref name="transport"/>.
    /// <paramref name="udid"/> names another hardware UUID, as a copy of this keychain on another machine would;
    /// <paramref name="afterSigning"/> sees (and may change) the signed request before it is sent.</summary>
    public HttpClient SignedClient(HttpMessageHandler transport, Uri baseAddress, TimeProvider? time = null, string? udid = null,
        DelegatingHandler? afterSigning = null) =>
        new(Signing(udid ?? Udid, SigningKey, transport, time, afterSigning)) { BaseAddress = baseAddress };

    /// <summary>The agent's signing handler in front of <paramref name="transport"/>, with <paramref name="afterSigning"/> between them.</summary>
    public static DeviceSigningHandler Signing(string udid, IRequestSigningKey key, HttpMessageHandler transport, TimeProvider? time = null,
        DelegatingHandler? afterSigning = null)
    {
        if (afterSigning is not null)
        {
            afterSigning.InnerHandler = transport;
            transport = afterSigning;
        }

        return new DeviceSigningHandler(udid, key, time ?? TimeProvider.System) { InnerHandler = transport };
    }

    public void Dispose()
    {
        Key.Dispose();
        Certificate.Dispose();
    }

    private static string HostnameOf(string udid) => "host-" + udid[..Math.Min(8, udid.Length)];
}
