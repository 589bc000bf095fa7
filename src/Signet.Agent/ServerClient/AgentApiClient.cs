using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using Signet.Agent.Commands;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.ServerClient;

/// <summary>The agent API of DESIGN.md §4. Every failure comes out as an <see cref="AgentFailure"/> carrying the exit
/// code: unreachable or TLS failure → 5, a refusal → the problem code's message and code.</summary>
internal sealed class AgentApiClient(HttpClient http, Uri server) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string ServerUrl { get; } = server.AbsoluteUri.TrimEnd('/');

    /// <summary>GET /agent/v1/ca: the PEM of the CA chain.</summary>
    public async Task<string> GetCaBundleAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "agent/v1/ca");
        using var response = await SendAsync(request, enrolling: true, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task<EnrollResponse> EnrollAsync(EnrollRequest body, CancellationToken cancellationToken) =>
        PostAsync<EnrollRequest, EnrollResponse>("agent/v1/enroll", body, enrolling: true, cancellationToken);

    public Task<CheckInResponse> CheckInAsync(CheckInRequest body, CancellationToken cancellationToken) =>
        PostAsync<CheckInRequest, CheckInResponse>("agent/v1/checkin", body, enrolling: false, cancellationToken);

    public Task<RenewResponse> RenewAsync(RenewRequest body, CancellationToken cancellationToken) =>
        PostAsync<RenewRequest, RenewResponse>("agent/v1/renew", body, enrolling: false, cancellationToken);

    public async Task SendInventoryAsync(InventoryDocument body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "agent/v1/inventory") { Content = JsonBody(body) };
        using var response = await SendAsync(request, enrolling: false, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, bool enrolling, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) };
        using var response = await SendAsync(request, enrolling, cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await response.Content.ReadFromJsonAsync<TResponse>(SignetJson.Options, cancellationToken).ConfigureAwait(false);
            return result ?? throw Unreadable();
        }
        catch (JsonException)
        {
            throw Unreadable();
        }
    }

    // Serialized up front (not JsonContent) so the body has a length and the signing handler digests exactly the
    // bytes that are sent.
    private static ByteArrayContent JsonBody<T>(T value)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, SignetJson.Options));
        content.Headers.ContentType = Json;
        return content;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, bool enrolling, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            throw new AgentFailure(ExitCodes.ServerUnreachable,
                $"The TLS connection to {ServerUrl} failed ({(e.InnerException ?? e).Message}): the server's certificate must be issued by the Signet CA " +
                "stored at enrollment and name this host; check that the URL points at your Signet server, or re-enroll if the server's CA was replaced.");
        }
        catch (HttpRequestException e)
        {
            throw new AgentFailure(ExitCodes.ServerUnreachable,
                $"Cannot reach the Signet server at {ServerUrl} ({e.Message}); check the network and that the server is running.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentFailure(ExitCodes.ServerUnreachable,
                $"The Signet server at {ServerUrl} did not answer in time; check the network and that the server is running.");
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await RefusalAsync(response, enrolling, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentFailure> RefusalAsync(HttpResponseMessage response, bool enrolling, CancellationToken cancellationToken)
    {
        string? type = null, title = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    type = document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                    title = document.RootElement.TryGetProperty("title", out var ti) && ti.ValueKind == JsonValueKind.String ? ti.GetString() : null;
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's error page, say): fall back to the status code.
        }

        return ProblemCodes.TryParse(type, out var code)
            ? ProblemMessages.For(code, ServerUrl, enrolling)
            : ProblemMessages.ForStatus((int)response.StatusCode, title, ServerUrl, enrolling);
    }

    private AgentFailure Unreadable() => new(ExitCodes.Failure,
        $"The server at {ServerUrl} sent an answer this agent cannot read; check that the agent and server versions match.");
}
