using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Signet.Protocol.Device;
using Signet.Protocol.Signatures;

namespace Signet.Bench;

/// <summary>What the signet-device profile costs on top of the RSA check itself: verifying one signed check-in
/// (parse, profile, digest, signature base, RSA-2048 rsa-pss-sha512) against <see cref="RSA.VerifyData(byte[], byte[], HashAlgorithmName, RSASignaturePadding)"/>
/// alone with the same key and padding. Target: at most 1.25 times the raw verify.</summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 12)]
[MemoryDiagnoser]
public class VerifyBenchmarks
{
    private RSA _rsa = null!;
    private X509Certificate2 _certificate = null!;
    private VerificationKey _key = null!;
    private string _keyId = null!;
    private HttpRequest _request = null!;
    private byte[] _body = null!;
    private byte[] _signatureBase = null!;
    private byte[] _signature = null!;
    private DateTimeOffset _now;
    private DeviceKeyResolver _resolver = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=bench-device", _rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _now = DateTimeOffset.UtcNow;
        _certificate = request.CreateSelfSigned(_now.AddDays(-1), _now.AddDays(30));
        var signingKey = RequestSigningKey.ForDevice(_certificate, _rsa);
        _key = VerificationKey.FromCertificate(_certificate);
        _keyId = signingKey.KeyId;
        _resolver = keyId => keyId == _keyId ? _key : null;

        var capture = new CapturingHandler();
        using var invoker = new HttpMessageInvoker(new DeviceSigningHandler("6F1A3B2C-0D4E-4F50-8A6B-7C8D9E0F1A2B", signingKey, TimeProvider.System) { InnerHandler = capture });
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://signet.example.com/agent/v1/checkin")
        {
            Content = new StringContent("""{"agentVersion":"1.0.0"}""", Encoding.UTF8, "application/json"),
        };
        invoker.SendAsync(message, CancellationToken.None).GetAwaiter().GetResult().Dispose();
        _request = capture.Context!.Request;
        _body = capture.Body!;

        // The same signature over the same base, for the baseline.
        var result = DeviceSignatureVerifier.Verify(_request, _body, _resolver, _now, TimeSpan.FromMinutes(5));
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The benchmark request does not verify: {result.Problem} {result.Detail}");
        }

        _signatureBase = capture.SignatureBase(_request);
        var signatureField = _request.Headers["Signature"].ToString();
        _signature = Convert.FromBase64String(signatureField["sig1=:".Length..^1]);
        if (!_rsa.VerifyData(_signatureBase, _signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss))
        {
            throw new InvalidOperationException("The baseline does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _certificate.Dispose();
        _rsa.Dispose();
    }

    [Benchmark(Baseline = true)]
    public bool RsaVerifyDataAlone() => _rsa.VerifyData(_signatureBase, _signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss);

    [Benchmark]
    public bool DeviceSignatureVerifierVerify() =>
        DeviceSignatureVerifier.Verify(_request, _body, _resolver, _now, TimeSpan.FromMinutes(5)).Succeeded;

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public HttpContext? Context { get; private set; }
        public byte[]? Body { get; private set; }

        public byte[] SignatureBase(HttpRequest request)
        {
            var view = new AspNetRequestView(request);
            var input = request.Headers["Signature-Input"].ToString();
            if (!Signet.Protocol.StructuredFields.SfParser.TryParseDictionary(input, out var dictionary))
            {
                throw new InvalidOperationException("Signature-Input does not parse.");
            }

            var member = dictionary.Entries[0].Value;
            return HttpSignatures.TryCreateBase(view, member.InnerList!, member.Parameters, out var signatureBase, out var error)
                ? signatureBase
                : throw new InvalidOperationException(error);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            var context = new DefaultHttpContext();
            context.Request.Method = request.Method.Method;
            context.Request.Scheme = request.RequestUri!.Scheme;
            context.Request.Host = new HostString(request.RequestUri.Authority);
            context.Request.Path = PathString.FromUriComponent(request.RequestUri.AbsolutePath);
            context.Features.Get<IHttpRequestFeature>()!.RawTarget = request.RequestUri.PathAndQuery;
            foreach (var header in request.Headers.NonValidated.Concat(request.Content.Headers.NonValidated))
            {
                context.Request.Headers[header.Key] = header.Value.ToArray();
            }

            Context = context;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        }
    }
}
