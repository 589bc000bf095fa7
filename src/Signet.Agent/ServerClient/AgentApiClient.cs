using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Text.Json;
using Signet.Agent.Outcomes;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.ServerClient;

/// <summary>The agent API of docs/api.md. Every failure comes out as an <see cref="AgentFailure"/> carrying the exit
/// code: unreachable or TLS failure → 5, a refusal → the problem code's message and code.</summary>
/// <remarks>Refusals name the commands to run next through <paramref name="next"/> (server URL, keychain).</remarks>
internal sealed class AgentApiClient(HttpClient http, NextCommands next) : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public string ServerUrl => next.ServerUrl;

    /// <summary>GET /agent/v1/ca: the PEM of the CA chain.</summary>
    public async Task<string> GetCaBundleAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "agent/v1/ca");
        using var response = await SendAsync(request, RequestKind.Enrollment, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST /agent/v1/enroll: 201 completed, or 202 held for an administrator's approval.</summary>
    public async Task<EnrollmentAnswer> EnrollAsync(EnrollRequest body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "agent/v1/enroll") { Content = JsonBody(body) };
        using var response = await SendAsync(request, RequestKind.Enrollment, cancellationToken).ConfigureAwait(false);
        var answer = await ReadEnrollmentAnswerAsync(response, cancellationToken).ConfigureAwait(false);
        // The held request's id is how the agent asks again; a 202 without one cannot be followed up.
        return answer.Held is { RequestId: null or "" } ? throw Unreadable() : answer;
    }

    /// <summary>GET /agent/v1/enrollment-requests/{id}: 202 still held, 200 approved (the enrollment's answer).</summary>
    public async Task<EnrollmentAnswer> GetEnrollmentRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "agent/v1/enrollment-requests/" + Uri.EscapeDataString(requestId));
        using var response = await SendAsync(request, RequestKind.HeldEnrollment, cancellationToken).ConfigureAwait(false);
        return await ReadEnrollmentAnswerAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>For a served check-in: the failure to report when the server did not accept the signature (it served the
    /// request only because certificate-based communication is off); null when it did, or did not say.</summary>
    public AgentFailure? SignatureVerdict(CheckInResponse response) => ProblemMessages.ServedWithoutValidSignature(response.Signature, next);

    public Task<CheckInResponse> CheckInAsync(CheckInRequest body, CancellationToken cancellationToken) =>
        PostAsync<CheckInRequest, CheckInResponse>("agent/v1/checkin", body, cancellationToken);

    public Task<RenewResponse> RenewAsync(RenewRequest body, CancellationToken cancellationToken) =>
        PostAsync<RenewRequest, RenewResponse>("agent/v1/renew", body, cancellationToken);

    public async Task SendInventoryAsync(InventoryDocument body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "agent/v1/inventory") { Content = JsonBody(body) };
        using var response = await SendAsync(request, RequestKind.Device, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private async Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, CancellationToken cancellationToken)
        where TResponse : class
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonBody(body) };
        using var response = await SendAsync(request, RequestKind.Device, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<TResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EnrollmentAnswer> ReadEnrollmentAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        response.StatusCode == HttpStatusCode.Accepted
            ? new EnrollmentAnswer(null, await ReadAsync<EnrollmentHeldResponse>(response, cancellationToken).ConfigureAwait(false))
            : new EnrollmentAnswer(await ReadAsync<EnrollResponse>(response, cancellationToken).ConfigureAwait(false), null);

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            var result = await response.Content.ReadFromJsonAsync<T>(SignetJson.Options, cancellationToken).ConfigureAwait(false);
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

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, RequestKind kind, CancellationToken cancellationToken)
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
            // Plain http to a TLS port fails as a dropped connection; a refused connection is nothing listening.
            if (request.RequestUri is { Scheme: "http" } url && e.HttpRequestError != HttpRequestError.ConnectionError
                && await TlsProbe.SpeaksTlsAsync(url, cancellationToken).ConfigureAwait(false))
            {
                throw HttpsInstead();
            }

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
            throw await RefusalAsync(response, kind, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<AgentFailure> RefusalAsync(HttpResponseMessage response, RequestKind kind, CancellationToken cancellationToken)
    {
        string? type = null, title = null, certificateStatus = null;
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (body.Length > 0)
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    type = StringMember(document.RootElement, "type");
                    title = StringMember(document.RootElement, "title");
                    // An extension member of certificate-revoked: "superseded" (another enrollment took the computer)
                    // or "revoked" (an administrator revoked it or deleted the computer).
                    certificateStatus = StringMember(document.RootElement, "certificateStatus");
                }
            }
        }
        catch (JsonException)
        {
            // Not problem details (a proxy's error page, say): fall back to the status code.
        }

        return ProblemCodes.TryParse(type, out var code)
            ? ProblemMessages.For(code, next, kind, certificateStatus)
            : ProblemMessages.ForStatus((int)response.StatusCode, title, next, kind);
    }

    private static string? StringMember(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Plain http sent to a port that speaks TLS: the URL wants https. The command to run next is the one that
    /// failed, with the https URL (or enrollment with it, when the http URL came from the keychain).</summary>
    private AgentFailure HttpsInstead()
    {
        var https = new UriBuilder(ServerUrl) { Scheme = Uri.UriSchemeHttps }.Uri.AbsoluteUri.TrimEnd('/');
        var retry = next.Command is { } command
            ? next.Signet([.. command.Select(a => a == ServerUrl ? https : a)])
            : next.Signet("enroll", "--server", https, "--invitation", "<code>");
        return new AgentFailure(ExitCodes.ServerUnreachable,
            $"The server at {ServerUrl} speaks https, not plain http (it dropped the plain-http request, and answers a TLS handshake on the same port); use {https}: run {retry}.");
    }

    private AgentFailure Unreadable() => new(ExitCodes.Failure,
        $"The server at {ServerUrl} sent an answer this agent cannot read; check that the agent and server versions match.");
}
