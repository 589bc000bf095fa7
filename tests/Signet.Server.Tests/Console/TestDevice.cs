using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;

namespace Signet.Server.Tests.Console;

/// <summary>A simulated managed computer: its own key, enrolled through the real agent API, able to send signed requests.
/// Shared by the page tests and the browser tests, so it uses only public HTTP and Signet.Protocol.</summary>
internal sealed class TestDevice : IDisposable
{
    private readonly ECDsa _key;

    private TestDevice(string udid, string hostname, string computerId, X509Certificate2 certificate, ECDsa key)
    {
        Udid = udid;
        Hostname = hostname;
        ComputerId = computerId;
        Certificate = certificate;
        _key = key;
    }

    public string Udid { get; }
    public string Hostname { get; }
    public string ComputerId { get; }
    public X509Certificate2 Certificate { get; }

    /// <summary>Logs in to the admin API and returns a bearer token.</summary>
    public static async Task<string> AdminTokenAsync(HttpClient client, string password)
    {
        var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new { username = "admin", password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Creates a one-use general invitation with the admin API and returns its code.</summary>
    public static async Task<string> CreateInvitationAsync(HttpClient client, string adminToken)
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/invitations", UriKind.Relative))
        {
            Content = JsonContent.Create(new { uses = 1 }),
        };
        create.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var created = await client.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var invitation = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        return invitation.RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>Creates an invitation with the admin API and enrolls a new computer with it.</summary>
    public static async Task<TestDevice> EnrollAsync(HttpClient client, string adminToken, string udid, string hostname, string serial = "SERIAL") =>
        await EnrollWithCodeAsync(client, await CreateInvitationAsync(client, adminToken), udid, hostname, serial);

    public static async Task<TestDevice> EnrollWithCodeAsync(HttpClient client, string code, string udid, string hostname, string serial = "SERIAL")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await PostEnrollAsync(client, code, key, udid, hostname, serial);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await FromCertificateResponseAsync(response, udid, hostname, key);
    }

    /// <summary>Enrolls a known UDID again with a new key and a general invitation, which the server holds for an
    /// administrator (202) under the default <c>reenrollment</c> setting.</summary>
    public static async Task<HeldEnrollment> EnrollAgainHeldAsync(HttpClient client, string adminToken, string udid, string hostname,
        string serial = "SERIAL")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var response = await PostEnrollAsync(client, await CreateInvitationAsync(client, adminToken), key, udid, hostname, serial);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var held = (await response.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!;
        return new HeldEnrollment(held.RequestId!, udid, hostname, key);
    }

    public static async Task<HttpResponseMessage> PostEnrollAsync(HttpClient client, string code, ECDsa key, string udid, string hostname,
        string serial, KeyProtection? keyProtection = null)
    {
        var csr = new CertificateRequest("CN=" + udid, key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var device = new DeviceInfo(udid, serial, hostname, "TestBook1,1", "macOS", "15.1", keyProtection);
        return await client.PostAsJsonAsync(new Uri("/agent/v1/enroll", UriKind.Relative), new EnrollRequest(code, csr, device), SignetJson.Options);
    }

    /// <summary>The computer as a 200/201 answer with its certificate (enroll, or the poll of an approved request) makes it.</summary>
    internal static async Task<TestDevice> FromCertificateResponseAsync(HttpResponseMessage response, string udid, string hostname, ECDsa key)
    {
        var enrolled = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new TestDevice(udid, hostname, enrolled.ComputerId, X509Certificate2.CreateFromPem(enrolled.Certificate), key);
    }

    /// <summary>An HTTP client that signs every request with this computer's key (the agent's DelegatingHandler);
    /// <paramref name="udid"/> names another hardware UUID, as a copy of this keychain on another machine would.</summary>
    public HttpClient SignedClient(HttpMessageHandler transport, Uri baseAddress, TimeProvider? time = null, string? udid = null) =>
        new(new DeviceSigningHandler(udid ?? Udid, RequestSigningKey.ForDevice(Certificate, _key), time ?? TimeProvider.System) { InnerHandler = transport })
        {
            BaseAddress = baseAddress,
        };

    public static Task<HttpResponseMessage> CheckInAsync(HttpClient client) =>
        client.PostAsJsonAsync(new Uri("/agent/v1/checkin", UriKind.Relative), new CheckInRequest("1.0.0"), SignetJson.Options);

    /// <summary>A check-in with only the Signet-Device header: no digest, no signature.</summary>
    public async Task<HttpResponseMessage> UnsignedCheckInAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/agent/v1/checkin", UriKind.Relative))
        {
            Content = JsonContent.Create(new CheckInRequest("1.0.0"), options: SignetJson.Options),
        };
        request.Headers.Add("Signet-Device", Udid);
        return await client.SendAsync(request);
    }

    /// <summary>The problem type of a refused response, e.g. <c>urn:signet:problem:signature-required</c>.</summary>
    public static async Task<string?> ProblemTypeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
    }

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }
}
