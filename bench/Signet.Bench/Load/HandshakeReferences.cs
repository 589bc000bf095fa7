using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace Signet.Bench.Load;

/// <summary>What a new TLS connection costs servers that do nothing else, on the same machine and with the same
/// client as Signet's figures: OpenSSL's own <c>s_server</c> (the TLS 1.3 handshake, P-256, at the library's limit)
/// and a bare Kestrel set up as Signet's TLS is (one <see cref="SslStreamCertificateContext"/> for every handshake).
/// Signet's handshake figure is read against these two.</summary>
internal sealed class HandshakeReferences : IDisposable
{
    /// <summary>The argument that makes the bench program serve as the bare Kestrel reference.</summary>
    public const string KestrelServerVerb = "tls-reference-server";

    private readonly TempDirectory _folder = new();
    private readonly X509Certificate2 _certificate;
    private readonly string _pfx;
    private readonly string _certificatePem;
    private readonly string _keyPem;

    public HandshakeReferences()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var withKey = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        _certificate = X509CertificateLoader.LoadCertificate(withKey.RawData);
        _pfx = Path.Combine(_folder.Path, "reference.pfx");
        File.WriteAllBytes(_pfx, withKey.Export(X509ContentType.Pkcs12));
        _certificatePem = Path.Combine(_folder.Path, "reference.crt");
        File.WriteAllText(_certificatePem, withKey.ExportCertificatePem());
        _keyPem = Path.Combine(_folder.Path, "reference.key");
        File.WriteAllText(_keyPem, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A client of one request that trusts the reference certificate (one chain, as Signet's client builds).</summary>
    public SocketsHttpHandler NewHandler(int connections = int.MaxValue) => new()
    {
        MaxConnectionsPerServer = connections,
        UseCookies = false,
        UseProxy = false,
        SslOptions = { CertificateChainPolicy = ServerProcess.TrustOnly(_certificate) },
    };

    /// <summary>Starts the bare Kestrel reference: this program again, as its own process.</summary>
    public Task<ReferenceServer> StartKestrelAsync()
    {
        var port = FreePort.Next();
        var bench = Environment.ProcessPath!;
        IEnumerable<string> arguments = Path.GetFileNameWithoutExtension(bench) == "dotnet"
            ? [typeof(HandshakeReferences).Assembly.Location, KestrelServerVerb, port.ToString(System.Globalization.CultureInfo.InvariantCulture), _pfx]
            : [KestrelServerVerb, port.ToString(System.Globalization.CultureInfo.InvariantCulture), _pfx];
        return ReferenceServer.StartAsync(bench, arguments, port, this, new Uri("/healthz/live", UriKind.Relative));
    }

    /// <summary>Starts <c>openssl s_server</c> (HTTP/1.0 status page, one connection at a time); null when the
    /// <c>openssl</c> program is not installed.</summary>
    public async Task<ReferenceServer?> StartOpenSslAsync()
    {
        if (!Signet.Testing.Tokens.TokenStore.OnPath("openssl"))
        {
            return null;
        }

        var port = FreePort.Next();
        return await ReferenceServer.StartAsync("openssl",
            ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", _certificatePem, "-key", _keyPem, "-www", "-quiet"],
            port, this, new Uri("/", UriKind.Relative));
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _folder.Dispose();
    }

    /// <summary>Serves <c>GET /healthz/live</c> over https on 127.0.0.1 until killed: the bare Kestrel reference.</summary>
    public static void RunKestrel(int port, string pfx)
    {
        var certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, null);
        var context = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            // As Signet's Tls/TlsExtensions: a selector for Kestrel, then the one context for every handshake.
            ServerCertificateSelector = (_, _) => certificate,
            OnAuthenticate = (_, ssl) =>
            {
                ssl.ServerCertificateSelectionCallback = null;
                ssl.ServerCertificateContext = context;
            },
        })));
        var app = builder.Build();
        app.MapGet("/healthz/live", () => "Healthy");
        app.Run();
    }
}

/// <summary>A reference server process, killed when disposed.</summary>
internal sealed class ReferenceServer(Process process, Uri baseAddress, HandshakeReferences references, Uri path) : IDisposable
{
    public Uri BaseAddress { get; } = baseAddress;
    public HandshakeReferences References { get; } = references;

    /// <summary>What to ask it for.</summary>
    public Uri Path { get; } = path;

    public int ProcessId => process.Id;

    public static async Task<ReferenceServer> StartAsync(string program, IEnumerable<string> arguments, int port,
        HandshakeReferences references, Uri path)
    {
        var start = ProgramRun.StartInfo(program, arguments, [new("DOTNET_TieredCompilation", "0")]);
        start.RedirectStandardInput = true; // s_server reads commands from stdin; keep it open and silent
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ReferenceServer(process, new Uri($"https://127.0.0.1:{port}/"), references, path);
        using var client = new HttpClient(references.NewHandler()) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var waited = Stopwatch.StartNew();
        while (!await AnswersAsync(client, path))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30) || process.HasExited)
            {
                server.Dispose();
                throw new InvalidOperationException($"{program} did not serve {path} on port {port} within 30 s.");
            }

            await Task.Delay(100);
        }

        return server;
    }

    private static async Task<bool> AnswersAsync(HttpClient client, Uri path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    public void Dispose()
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }
}
