using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;
using Signet.Protocol.Wire;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>Agent-side HTTP clients: the real signing handler over the test server.</summary>
public static class DeviceClients
{
    /// <summary>A client that signs like the agent. <paramref name="afterSigning"/> sees (and may tamper with) the
    /// signed request before it reaches the server; <paramref name="nonce"/> replaces the fresh random nonce.</summary>
    public static HttpClient SigningClient(this SignetFactory factory, Enrolled device, string? udid = null, TimeProvider? clock = null,
        DelegatingHandler? afterSigning = null, IRequestSigningKey? key = null, Func<string>? nonce = null)
    {
        key ??= RequestSigningKey.ForDevice(device.Certificate, device.Key);
        return factory.SigningClient(udid ?? device.Udid, key, clock, afterSigning, nonce);
    }

    public static HttpClient SigningClient(this SignetFactory factory, string udid, IRequestSigningKey key, TimeProvider? clock = null,
        DelegatingHandler? afterSigning = null, Func<string>? nonce = null)
    {
        var server = factory.Server.CreateHandler();
        if (afterSigning is not null)
        {
            afterSigning.InnerHandler = server;
        }

        var signing = nonce is null
            ? new DeviceSigningHandler(udid, key, clock ?? factory.Time) { InnerHandler = afterSigning ?? server }
            : new DeviceSigningHandler(udid, key, clock ?? factory.Time) { InnerHandler = afterSigning ?? server, NewNonce = nonce };
        return new HttpClient(signing) { BaseAddress = factory.Server.BaseAddress };
    }

    /// <summary>A client that names the computer but does not sign.</summary>
    public static HttpClient UnsignedClient(this SignetFactory factory, string udid)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(SignetHeaders.SignetDevice, udid);
        return client;
    }

    public static Task<HttpResponseMessage> CheckInAsync(this HttpClient client) =>
        client.PostAsJsonAsync("/agent/v1/checkin", new CheckInRequest("1.0.0-test"), SignetJson.Options);

    public static async Task<CheckInResponse> CheckInOkAsync(this HttpClient client)
    {
        var response = await client.CheckInAsync();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<CheckInResponse>(SignetJson.Options))!;
    }

    public static X509Certificate2 CertificateFromPem(string pem) => X509Certificate2.CreateFromPem(pem);
}

/// <summary>Changes the signed request before it is sent, as an attacker on the path would.</summary>
public sealed class TamperingHandler(Action<HttpRequestMessage> tamper) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        tamper(request);
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Records the last signed request so a test can send it again.</summary>
public sealed class CapturingHandler : DelegatingHandler
{
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public byte[] Body { get; private set; } = [];
    public Uri? Uri { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri = request.RequestUri;
        Headers.Clear();
        foreach (var header in request.Headers)
        {
            Headers.Add(new(header.Key, string.Join(", ", header.Value)));
        }

        Body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return await base.SendAsync(request, cancellationToken);
    }

    public HttpRequestMessage Replay()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Uri) { Content = new ByteArrayContent(Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }
}
