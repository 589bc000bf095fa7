using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Signet.Testing.Admin;

/// <summary>The admin API (docs/api.md) as a script calls it, over a client that carries the administrator's token
/// (<see cref="LoginAsync"/>, or <see cref="AdminLogin"/> for one that logs in on first use). Each call throws
/// <see cref="KitExpectationException"/> when the server does not answer as it should.</summary>
public static class AdminApiCalls
{
    public const string Username = "admin";

    /// <summary>Logs in and returns the bearer token.</summary>
    public static async Task<string> TokenAsync(this HttpClient client, string password, string username = Username)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative), new { username, password });
        await KitExpectationException.EnsureAsync(response, "log in");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Logs in as admin and sends the token on every later request of this client.</summary>
    public static async Task<HttpClient> LoginAsync(this HttpClient client, string password)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await client.TokenAsync(password));
        return client;
    }

    /// <summary>An invitation for new computers (one use unless said); its code.</summary>
    public static async Task<string> CreateInvitationAsync(this HttpClient admin, int uses = 1)
    {
        using var response = await admin.PostAsJsonAsync(new Uri("/api/v1/invitations", UriKind.Relative), new { uses });
        return await CodeAsync(response, "create an invitation");
    }

    /// <summary>A one-use invitation bound to the computer, for re-enrolling it at once (docs/lifecycle.md); its code.</summary>
    public static async Task<string> CreateReenrollmentInvitationAsync(this HttpClient admin, string computerId)
    {
        using var response = await admin.PostAsync(new Uri($"/api/v1/computers/{computerId}/reenrollment-invitation", UriKind.Relative), null);
        return await CodeAsync(response, "create a re-enrollment invitation");
    }

    /// <summary>Changes the Security settings; a null leaves that setting as it is.</summary>
    public static async Task SetSecurityAsync(this HttpClient admin, bool? certificateBasedCommunication = null, int? maximumClockSkewSeconds = null,
        int? deviceCertificateLifetimeDays = null)
    {
        using var response = await admin.PutAsJsonAsync(new Uri("/api/v1/settings/security", UriKind.Relative),
            new { certificateBasedCommunication, maximumClockSkewSeconds, deviceCertificateLifetimeDays });
        await KitExpectationException.EnsureAsync(response, "change the security settings");
    }

    public static async Task<JsonElement> GetComputerAsync(this HttpClient admin, string computerId)
    {
        using var response = await admin.GetAsync(new Uri($"/api/v1/computers/{computerId}", UriKind.Relative));
        await KitExpectationException.EnsureAsync(response, "read computer " + computerId);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task RevokeAsync(this HttpClient admin, string computerId)
    {
        using var response = await admin.PostAsync(new Uri($"/api/v1/computers/{computerId}/revoke-certificate", UriKind.Relative), null);
        await KitExpectationException.EnsureAsync(response, "revoke the certificate of " + computerId);
    }

    /// <summary>The id of the pending enrollment request of <paramref name="udid"/>, as an administrator lists it.</summary>
    public static async Task<string> PendingEnrollmentRequestAsync(this HttpClient admin, string udid)
    {
        using var response = await admin.GetAsync(new Uri("/api/v1/enrollment-requests?status=pending", UriKind.Relative));
        await KitExpectationException.EnsureAsync(response, "list the pending enrollment requests");
        var requests = await response.Content.ReadFromJsonAsync<JsonElement>();
        return requests.EnumerateArray()
            .Single(r => string.Equals(r.GetProperty("udid").GetString(), udid, StringComparison.OrdinalIgnoreCase))
            .GetProperty("id").GetString()!;
    }

    /// <summary>Approves or denies a held enrollment (<paramref name="decision"/> is <c>approve</c> or <c>deny</c>); the
    /// response as it is.</summary>
    public static Task<HttpResponseMessage> DecideAsync(this HttpClient admin, string requestId, string decision) =>
        admin.PostAsync(new Uri($"/api/v1/enrollment-requests/{requestId}/{decision}", UriKind.Relative), null);

    /// <summary>GET as the administrator; the body as text.</summary>
    public static async Task<string> GetTextAsync(this HttpClient admin, string path)
    {
        using var response = await admin.GetAsync(new Uri(path, UriKind.Relative));
        await KitExpectationException.EnsureAsync(response, "GET " + path);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> CodeAsync(HttpResponseMessage response, string what)
    {
        await KitExpectationException.EnsureAsync(response, what, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }
}
