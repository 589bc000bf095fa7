using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Testing.Devices;

/// <summary>The agent API (DESIGN.md §4) as the agent calls it: enroll with a CSR, poll a held request, check in.</summary>
public static class AgentApi
{
    public const string AgentVersion = "1.0.0-test";

    public static Task<HttpResponseMessage> PostEnrollAsync(this HttpClient client, string? invitation, string csr, DeviceInfo device) =>
        client.PostAsJsonAsync(new Uri("/agent/v1/enroll", UriKind.Relative), new EnrollRequest(invitation, csr, device), SignetJson.Options);

    /// <summary>An enrollment of <paramref name="udid"/> described as <see cref="TestDevice.Describe"/> does by default.</summary>
    public static Task<HttpResponseMessage> PostEnrollAsync(this HttpClient client, string? invitation, string csr, string udid,
        KeyProtection? keyProtection = null) =>
        client.PostEnrollAsync(invitation, csr, TestDevice.Describe(udid, keyProtection: keyProtection));

    /// <summary>Enrolls with a CSR for <paramref name="key"/>; null unless the server answered 201 with a certificate.
    /// Pass the same key and UDID again to retry an enrollment as an agent does after a lost response.</summary>
    public static async Task<TestDevice?> TryEnrollAsync(this HttpClient client, string? invitation, AsymmetricAlgorithm key, DeviceInfo device)
    {
        using var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), device);
        return response.StatusCode == HttpStatusCode.Created
            ? await TestDevice.FromCertificateResponseAsync(response, device.Udid, key, device.Hostname)
            : null;
    }

    /// <summary>Enrolls a computer (a new P-256 key and UDID unless given); throws unless it gets its certificate (201).</summary>
    public static async Task<TestDevice> EnrollAsync(this HttpClient client, string? invitation, AsymmetricAlgorithm? key = null, DeviceInfo? device = null)
    {
        key ??= TestKeys.NewP256();
        device ??= TestDevice.Describe(TestKeys.NewUdid());
        using var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), device);
        await KitExpectationException.EnsureAsync(response, "enroll " + device.Udid, HttpStatusCode.Created);
        return await TestDevice.FromCertificateResponseAsync(response, device.Udid, key, device.Hostname);
    }

    /// <summary>Claims a known computer's UDID with a new key: the server holds it (202); the request id.</summary>
    public static async Task<string> HoldAsync(this HttpClient client, string? invitation, AsymmetricAlgorithm key, DeviceInfo device)
    {
        using var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), device);
        await KitExpectationException.EnsureAsync(response, "enroll " + device.Udid + " again", HttpStatusCode.Accepted);
        var held = (await response.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!;
        KitExpectationException.That(held is { Status: "pending", PollAfterSeconds: > 0, RequestId.Length: 32 },
            $"a held enrollment answers pending, a poll interval and a 128-bit request id; got {held}");
        return held.RequestId!;
    }

    public static Task<string> HoldAsync(this HttpClient client, string? invitation, AsymmetricAlgorithm key, string udid) =>
        client.HoldAsync(invitation, key, TestDevice.Describe(udid));

    /// <summary>The agent's poll of a held request: 202 while waiting, 200 with the certificate once approved, 403 once denied.</summary>
    public static Task<HttpResponseMessage> PollAsync(this HttpClient client, string requestId) =>
        client.GetAsync(new Uri($"/agent/v1/enrollment-requests/{requestId}", UriKind.Relative));

    public static Task<HttpResponseMessage> CheckInAsync(this HttpClient client) =>
        client.PostAsJsonAsync(new Uri("/agent/v1/checkin", UriKind.Relative), new CheckInRequest(AgentVersion), SignetJson.Options);

    /// <summary>A check-in that must succeed; its answer.</summary>
    public static async Task<CheckInResponse> CheckInOkAsync(this HttpClient client)
    {
        using var response = await client.CheckInAsync();
        await KitExpectationException.EnsureAsync(response, "check in");
        return (await response.Content.ReadFromJsonAsync<CheckInResponse>(SignetJson.Options))!;
    }

    /// <summary>A check-in with only the Signet-Device header: no digest, no signature.</summary>
    public static async Task<HttpResponseMessage> UnsignedCheckInAsync(this HttpClient client, string udid)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/agent/v1/checkin", UriKind.Relative))
        {
            Content = JsonContent.Create(new CheckInRequest(AgentVersion), options: SignetJson.Options),
        };
        request.Headers.Add(SignetHeaders.SignetDevice, udid);
        return await client.SendAsync(request);
    }
}
