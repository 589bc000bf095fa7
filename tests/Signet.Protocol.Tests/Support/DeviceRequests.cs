using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;

namespace Signet.Protocol.Tests.Support;

/// <summary>A device (key, certificate, clock) that signs requests through the real <see cref="DeviceSigningHandler"/>
/// and hands back what the server would receive, replayed into a <see cref="DefaultHttpContext"/>.</summary>
internal sealed class TestDevice : IDisposable
{
    public const string Udid = "6F1A3B2C-0D4E-4F50-8A6B-7C8D9E0F1A2B";


    public TestDevice(string keyType = "rsa")
    {
        PrivateKey = keyType switch
        {
            "rsa" => RSA.Create(2048),
            "p256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            "p384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
            _ => throw new ArgumentOutOfRangeException(nameof(keyType)),
        };

        var request = PrivateKey switch
        {
            RSA rsa => new CertificateRequest("CN=" + Udid, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest("CN=" + Udid, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new InvalidOperationException(),
        };

        Certificate = request.CreateSelfSigned(Time.GetUtcNow().AddDays(-1), Time.GetUtcNow().AddDays(365));
        SigningKey = RequestSigningKey.ForDevice(Certificate, PrivateKey);
        VerificationKey = VerificationKey.FromCertificate(Certificate);
    }

    public AsymmetricAlgorithm PrivateKey { get; }
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 2, 0, 0, TimeSpan.Zero));
    public X509Certificate2 Certificate { get; }
    public RequestSigningKey SigningKey { get; }
    public VerificationKey VerificationKey { get; }
    public string KeyId => SigningKey.KeyId;

    public VerificationKey? Resolve(string keyId) => keyId == KeyId ? VerificationKey : null;

    /// <summary>Sends <paramref name="request"/> through the signing handler and returns the request as the server sees it.</summary>
    public ReceivedRequest Send(HttpRequestMessage request, string? udid = null, IRequestSigningKey? key = null)
    {
        var capture = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new DeviceSigningHandler(udid ?? Udid, key ?? SigningKey, Time) { InnerHandler = capture });
        using var response = invoker.SendAsync(request, CancellationToken.None).GetAwaiter().GetResult();
        return capture.Received!;
    }

    public ReceivedRequest Post(string url = "https://signet.example.com/agent/v1/checkin?x=1", string body = """{"agentVersion":"1.0"}""")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        return Send(request);
    }

    public DeviceSignatureResult Verify(ReceivedRequest received, TimeSpan? skew = null, DateTimeOffset? now = null) =>
        DeviceSignatureVerifier.Verify(received.Context.Request, received.Body, Resolve, now ?? Time.GetUtcNow(), skew ?? TimeSpan.FromMinutes(5));

    public void Dispose()
    {
        Certificate.Dispose();
        PrivateKey.Dispose();
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public ReceivedRequest? Received { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            Received = ReceivedRequest.From(request, body);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}

/// <summary>A request as the server receives it: method, scheme, Host, raw target, header lines and body.</summary>
internal sealed class ReceivedRequest
{
    public required string Method { get; set; }
    public required string Scheme { get; set; }
    public required string Host { get; set; }
    public required string RawTarget { get; set; }
    public required List<KeyValuePair<string, string>> Headers { get; init; }
    public required byte[] Body { get; set; }

    public static ReceivedRequest From(HttpRequestMessage request, byte[] body)
    {
        var uri = request.RequestUri!;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers.NonValidated)
        {
            if (string.Equals(header.Key, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // carried as Host below
            }

            foreach (var value in header.Value)
            {
                headers.Add(new(header.Key, value));
            }
        }

        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers.NonValidated)
            {
                foreach (var value in header.Value)
                {
                    headers.Add(new(header.Key, value));
                }
            }
        }

        return new ReceivedRequest
        {
            Method = request.Method.Method,
            Scheme = uri.Scheme,
            // What HttpClient sends as Host: the Host header if one was set, else host and any non-default port.
            Host = request.Headers.Host ?? (uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}"),
            RawTarget = uri.PathAndQuery,
            Headers = headers,
            Body = body,
        };
    }

    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public void SetHeader(string name, string? value)
    {
        Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));
        if (value is not null)
        {
            Headers.Add(new(name, value));
        }
    }

    /// <summary>Replays the request into a fresh <see cref="DefaultHttpContext"/>, as Kestrel would present it.</summary>
    public HttpContext Context
    {
        get
        {
            var context = new DefaultHttpContext();
            var request = context.Request;
            request.Method = Method;
            request.Scheme = Scheme;
            request.Host = new HostString(Host);
            var queryStart = RawTarget.IndexOf('?', StringComparison.Ordinal);
            request.Path = PathString.FromUriComponent(queryStart < 0 ? RawTarget : RawTarget[..queryStart]);
            request.QueryString = queryStart < 0 ? QueryString.Empty : new QueryString(RawTarget[queryStart..]);
            context.Features.Get<IHttpRequestFeature>()!.RawTarget = RawTarget;
            foreach (var (name, value) in Headers)
            {
                request.Headers.Append(name, value);
            }

            request.Body = new MemoryStream(Body);
            request.ContentLength = Body.Length;
            return context;
        }
    }
}
