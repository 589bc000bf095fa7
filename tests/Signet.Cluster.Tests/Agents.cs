using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;

namespace Signet.Cluster.Tests;

public sealed record Device(string ComputerId, string Udid, X509Certificate2 Certificate, ECDsa Key);

/// <summary>What an agent and an administrator do, over plain HTTP to a node.</summary>
public static class Agents
{
    /// <summary>The name agents address; nodes set <c>Signet:PublicAuthority</c> to it, as behind a load balancer.</summary>
    public const string PublicAuthority = "signet.test";

    public static HttpClient Client(this ServerProcess node)
    {
        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Host = PublicAuthority;
        return client;
    }

    public static HttpClient SigningClient(this ServerProcess node, Device device, DelegatingHandler? afterSigning = null)
    {
        HttpMessageHandler inner = new SocketsHttpHandler();
        if (afterSigning is not null)
        {
            afterSigning.InnerHandler = inner;
            inner = afterSigning;
        }

        var signing = new DeviceSigningHandler(device.Udid, RequestSigningKey.ForDevice(device.Certificate, device.Key), TimeProvider.System)
        {
            InnerHandler = inner,
        };
        var client = new HttpClient(signing) { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Host = PublicAuthority;
        return client;
    }

    public static async Task<HttpClient> AdminAsync(this ServerProcess node)
    {
        var client = node.Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = ServerProcess.AdminPassword });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<string> InvitationAsync(this HttpClient admin, int uses = 1)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/invitations", new { uses });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    public static async Task SecurityAsync(this HttpClient admin, bool enabled)
    {
        var response = await admin.PutAsJsonAsync("/api/v1/settings/security", new { certificateBasedCommunication = enabled });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Enrolls; null when the node did not answer with a certificate. Pass the key and UDID to retry an
    /// enrollment exactly as an agent would after a lost response.</summary>
    public static async Task<Device?> TryEnrollAsync(this HttpClient client, string invitation, string? udid = null, ECDsa? key = null)
    {
        var response = await client.PostEnrollAsync(invitation, udid ??= Guid.NewGuid().ToString().ToUpperInvariant(),
            key ??= ECDsa.Create(ECCurve.NamedCurves.nistP256));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        var body = (await response.Content.ReadFromJsonAsync<EnrollResponse>(SignetJson.Options))!;
        return new Device(body.ComputerId, udid, X509Certificate2.CreateFromPem(body.Certificate), key);
    }

    public static Task<HttpResponseMessage> PostEnrollAsync(this HttpClient client, string? invitation, string udid, ECDsa key)
    {
        var csr = new CertificateRequest("CN=device", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
        var request = new EnrollRequest(invitation, csr, new DeviceInfo(udid, "C02CLUSTER", "host", "Mac14,2", "macOS", "15.1"));
        return client.PostAsJsonAsync("/agent/v1/enroll", request, SignetJson.Options);
    }

    public static async Task<Device> EnrollAsync(this HttpClient client, string invitation, string? udid = null) =>
        await client.TryEnrollAsync(invitation, udid) ?? throw new InvalidOperationException("enrollment refused");

    public static Task<HttpResponseMessage> CheckInAsync(this HttpClient client) =>
        client.PostAsJsonAsync("/agent/v1/checkin", new CheckInRequest("1.0.0-cluster"), SignetJson.Options);

    public static async Task<string?> ProblemCodeAsync(this HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        var type = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString();
        return ProblemCodes.TryParse(type, out var code) ? code.ToSlug() : type;
    }

    /// <summary>Polls until the condition holds or the limit passes; no assertion on the time it took.</summary>
    public static async Task<bool> EventuallyAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>Keeps the last signed request so the test can send the same bytes to another node.</summary>
public sealed class CapturingHandler : DelegatingHandler
{
    private List<KeyValuePair<string, string>> _headers = [];
    private byte[] _body = [];
    private Uri? _uri;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _uri = request.RequestUri;
        _headers = [.. request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)))];
        _body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The captured request, addressed to <paramref name="node"/> but otherwise byte for byte the same.</summary>
    public HttpRequestMessage ReplayTo(ServerProcess node)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, _uri!.PathAndQuery)) { Content = new ByteArrayContent(_body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in _headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
