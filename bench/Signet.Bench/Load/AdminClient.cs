using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Signet.Bench.Load;

/// <summary>The few admin API calls the scenarios need (docs/api.md).</summary>
internal sealed class AdminClient(HttpClient http) : IDisposable
{
    public static async Task<AdminClient> LogInAsync(ServerProcess server)
    {
        var http = new HttpClient(server.NewHandler()) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        using var response = await http.PostAsJsonAsync(new Uri("/api/v1/auth/token", UriKind.Relative),
            new { username = "admin", password = ServerProcess.AdminPassword });
        await EnsureAsync(response, "log in");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", document.RootElement.GetProperty("token").GetString());
        return new AdminClient(http);
    }

    public async Task SetSecurityAsync(bool? certificateBasedCommunication = null, int? maximumClockSkewSeconds = null)
    {
        using var response = await http.PutAsJsonAsync(new Uri("/api/v1/settings/security", UriKind.Relative),
            new { certificateBasedCommunication, maximumClockSkewSeconds });
        await EnsureAsync(response, "change the security settings");
    }

    public async Task<string> CreateInvitationAsync(int uses)
    {
        using var response = await http.PostAsJsonAsync(new Uri("/api/v1/invitations", UriKind.Relative), new { uses });
        await EnsureAsync(response, "create an invitation");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("code").GetString()!;
    }

    public void Dispose() => http.Dispose();

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
