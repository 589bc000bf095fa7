using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Protocol.Wire;

namespace Signet.Server.Tests.Infrastructure;

public sealed record Enrolled(string ComputerId, string Udid, X509Certificate2 Certificate, AsymmetricAlgorithm Key, EnrollResponse Response);

/// <summary>Client-side helpers over the public API, written the way an agent or script would call it.</summary>
public static class Api
{
    public static Task<HttpClient> AdminClientAsync(this SignetFactory factory) => factory.CreateClient().LoginAsync();

    /// <summary>Logs in as admin and sends the token on every later request of this client.</summary>
    public static async Task<HttpClient> LoginAsync(this HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = SignetFactory.AdminPassword });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<string> CreateInvitationAsync(this HttpClient admin, int uses = 1)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/invitations", new { uses });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    /// <summary>A one-use invitation bound to the computer (docs/lifecycle.md).</summary>
    public static async Task<string> CreateReenrollmentInvitationAsync(this HttpClient admin, string computerId)
    {
        var response = await admin.PostAsync(new Uri($"/api/v1/computers/{computerId}/reenrollment-invitation", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    /// <summary>Re-enrolls a known computer at once with a new key, through an invitation bound to it.</summary>
    public static async Task<Enrolled> ReenrollAsync(this SignetFactory factory, HttpClient admin, Enrolled device, AsymmetricAlgorithm? key = null)
    {
        key ??= TestKeys.NewP256();
        var invitation = await admin.CreateReenrollmentInvitationAsync(device.ComputerId);
        using var client = factory.CreateClient();
        var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), device.Udid);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new Enrolled(body.ComputerId, device.Udid, X509Certificate2.CreateFromPem(body.Certificate), key, body);
    }

    public static Task<HttpResponseMessage> PostEnrollAsync(this HttpClient client, string? invitation, string csr, string udid,
        KeyProtection? keyProtection = null) =>
        client.PostAsJsonAsync("/agent/v1/enroll", new EnrollRequest(invitation, csr,
            new DeviceInfo(udid, "C02TEST", "host-" + udid[..Math.Min(8, udid.Length)], "MacBookPro18,3", "macOS", "15.1", keyProtection)), SignetJson.Options);

    /// <summary>Enrolls a new computer with a fresh invitation.</summary>
    public static async Task<Enrolled> EnrollAsync(this SignetFactory factory, HttpClient admin, AsymmetricAlgorithm? key = null, string? udid = null)
    {
        key ??= TestKeys.NewP256();
        udid ??= TestKeys.NewUdid();
        var invitation = await admin.CreateInvitationAsync();
        using var client = factory.CreateClient();
        var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new Enrolled(body.ComputerId, udid, X509Certificate2.CreateFromPem(body.Certificate), key, body);
    }

    /// <summary>Claims a known computer's UDID with a new key and a general invitation: held (202); the request id.</summary>
    public static async Task<string> HoldAsync(this HttpClient client, string? invitation, AsymmetricAlgorithm key, string udid)
    {
        var response = await client.PostEnrollAsync(invitation, TestKeys.Csr(key), udid);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var held = (await response.Content.ReadFromJsonAsync<EnrollmentHeldResponse>(SignetJson.Options))!;
        Assert.Equal("pending", held.Status);
        Assert.True(held.PollAfterSeconds > 0);
        Assert.Equal(32, held.RequestId!.Length);
        return held.RequestId;
    }

    public static Task<HttpResponseMessage> PollAsync(this HttpClient client, string requestId) =>
        client.GetAsync(new Uri($"/agent/v1/enrollment-requests/{requestId}", UriKind.Relative));

    public static Task<HttpResponseMessage> DecideAsync(this HttpClient admin, string requestId, string decision) =>
        admin.PostAsync(new Uri($"/api/v1/enrollment-requests/{requestId}/{decision}", UriKind.Relative), null);

    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Asserts a problem-details response with the status and Signet code.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal("urn:signet:problem:" + code, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain("   at ", problem.ToString(), StringComparison.Ordinal);
        return problem;
    }

    public static async Task<JsonElement> GetComputerAsync(this HttpClient admin, string id)
    {
        var response = await admin.GetAsync($"/api/v1/computers/{id}");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task SetSecurityAsync(this HttpClient admin, bool enabled, int? skewSeconds = null, int? lifetimeDays = null)
    {
        var response = await admin.PutAsJsonAsync("/api/v1/settings/security", new
        {
            certificateBasedCommunication = enabled,
            maximumClockSkewSeconds = skewSeconds,
            deviceCertificateLifetimeDays = lifetimeDays,
        });
        response.EnsureSuccessStatusCode();
    }
}
