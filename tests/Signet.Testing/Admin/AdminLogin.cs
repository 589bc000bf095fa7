using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Signet.Testing.Admin;

/// <summary>Logs in as the administrator on the first request that passes through, and sends the token on that and
/// every later request: an admin client that costs no login until it is used.</summary>
public sealed class AdminLogin(string password) : DelegatingHandler
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private string? _token;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(request, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<string> TokenAsync(HttpRequestMessage original, CancellationToken cancellationToken)
    {
        await _once.WaitAsync(cancellationToken);
        try
        {
            if (_token is null)
            {
                using var login = new HttpRequestMessage(HttpMethod.Post, new Uri(original.RequestUri!, "/api/v1/auth/token"))
                {
                    Content = JsonContent.Create(new { username = AdminApiCalls.Username, password }),
                };
                login.Headers.Host = original.Headers.Host;
                using var response = await base.SendAsync(login, cancellationToken);
                await KitExpectationException.EnsureAsync(response, "log in");
                _token = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString();
            }

            return _token!;
        }
        finally
        {
            _once.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _once.Dispose();
        }

        base.Dispose(disposing);
    }
}
