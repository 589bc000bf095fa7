using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Bench.Load;

/// <summary>How a bench server is started: https or plain http, the CA's key algorithm, the database.</summary>
internal sealed record ServerSettings(bool Https = false, string? CaKey = null, BenchDatabase? Database = null);

/// <summary>A real <c>signet-server</c> process on a free 127.0.0.1 port (plain HTTP unless asked for https), started
/// from the server dll built next to the bench. It reports its own CPU time and peak resident memory (from /proc) for
/// the figures.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "bench-admin-password-1";

    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
    }

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public int Id => _process.Id;

    /// <summary>Over https: the CA certificate clients trust for the server's TLS certificate, as an agent does.</summary>
    public X509Certificate2? Ca { get; private set; }

    /// <summary>A connection handler for this server: over https it trusts the server's CA only.</summary>
    public SocketsHttpHandler NewHandler(int connections = 1)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (Ca is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                certificate is not null && TrustedBy(ca, certificate, errors);
        }

        return handler;
    }

    public static async Task<ServerProcess> StartAsync(string dataDirectory, ServerSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new ServerSettings();
        var dll = ServerDll();
        var port = FreePort();
        var url = $"{(settings.Https ? "https" : "http")}://127.0.0.1:{port}";
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(url);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Signet__DataDirectory"] = dataDirectory;
        info.Environment["Signet__Admin__InitialPassword"] = AdminPassword;
        // The per-address enrollment limit would throttle a fleet that all comes from 127.0.0.1.
        info.Environment["Signet__Enrollment__PermitsPerMinute"] = "100000";
        // Console logging of every served-without-signature request would measure the console, not the server.
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // The banner (an information event) names the CA fingerprint that LearnCaAsync checks.
        info.Environment["Logging__LogLevel__Signet.Server.Hosting.Banner"] = "Information";
        // Tiered compilation takes minutes of traffic on a busy two-core machine to promote the ~30,000 methods of
        // the request paths (EF Core above all) to their final code, and that JIT work would be measured as the
        // server's cost. Compiling each method once, fully optimized, puts the JIT work into the warm-up instead.
        // SIGNET_BENCH_TIERED_JIT=1 keeps the default (tiered, with dynamic PGO).
        if (Environment.GetEnvironmentVariable("SIGNET_BENCH_TIERED_JIT") != "1")
        {
            info.Environment["DOTNET_TieredCompilation"] = "0";
        }

        if (settings.CaKey is { } caKey)
        {
            info.Environment["Signet__Ca__KeyAlgorithm"] = caKey;
        }

        foreach (var (name, value) in settings.Database?.ServerEnvironment() ?? [])
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet could not be started.");
        var server = new ServerProcess(process, new Uri(url), dataDirectory);
        // A bench stopped with Ctrl+C or SIGTERM must not leave its server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillIfRunning();
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitUntilHealthyAsync(cancellationToken);
        if (settings.Https)
        {
            await server.LearnCaAsync(cancellationToken);
        }

        return server;
    }

    /// <summary>User + system CPU time the server has used so far.</summary>
    public TimeSpan CpuTime() => UserTime() + SystemTime();

    /// <summary>CPU time in user mode so far.</summary>
    public TimeSpan UserTime() => StatTime(11);

    /// <summary>CPU time in the kernel so far (system calls, including the file system's work for fsync).</summary>
    public TimeSpan SystemTime() => StatTime(12);

    private TimeSpan StatTime(int field)
    {
        // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks; the command name may hold spaces, so
        // count from the closing parenthesis.
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds(long.Parse(fields[field], CultureInfo.InvariantCulture) / (double)ClockTicksPerSecond);
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    /// <summary>Stops the server with SIGTERM so it flushes and closes its database cleanly.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private void KillIfRunning()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone or disposed
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    // Linux reports /proc times in USER_HZ, which is 100 on every mainstream kernel configuration.
    private const int ClockTicksPerSecond = 100;

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 200)
            {
                _output.RemoveAt(0);
            }
        }
    }

    /// <summary>Fetches the CA over the first, unverified connection (the server is a child process on loopback) and
    /// checks it against the fingerprint the server printed in its banner.</summary>
    private async Task LearnCaAsync(CancellationToken cancellationToken)
    {
        using var handler = Unverified();
        using var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        var pem = await client.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative), cancellationToken);
        var ca = X509Certificate2.CreateFromPem(pem);
        string banner;
        lock (_output)
        {
            banner = string.Join('\n', _output);
        }

        var fingerprint = Signet.Protocol.Device.CertificateFingerprints.Sha256(ca.RawData);
        Ca = banner.Contains(fingerprint, StringComparison.Ordinal)
            ? ca
            : throw new InvalidOperationException($"The CA served at {BaseAddress} is not the one the server printed.");
    }

    /// <summary>Before the CA is known the server's certificate cannot be checked, as for an agent's first contact:
    /// only /healthz and the CA (checked against the printed fingerprint) are asked this way.</summary>
    private static SocketsHttpHandler Unverified()
    {
        var handler = new SocketsHttpHandler();
#pragma warning disable CA5359 // the bench's own child process on loopback; the CA it serves is checked against its banner
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return handler;
    }

    private static bool TrustedBy(X509Certificate2 ca, X509Certificate certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var handler = Unverified();
        using var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        // A first start (migrations, the CA key) can take minutes on a two-core machine busy with other work.
        while (deadline.Elapsed < TimeSpan.FromSeconds(300))
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // listening, but too busy to answer within the client's timeout yet
            }

            await Task.Delay(200, cancellationToken);
        }

        string output;
        lock (_output)
        {
            output = string.Join(Environment.NewLine, _output);
        }

        throw new InvalidOperationException($"signet-server did not become healthy at {BaseAddress}:{Environment.NewLine}{output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server dll built beside the bench, or the one named by <c>SIGNET_BENCH_SERVER_DLL</c> (to compare
    /// a build of another commit under the same bench).</summary>
    private static string ServerDll()
    {
        if (Environment.GetEnvironmentVariable("SIGNET_BENCH_SERVER_DLL") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? chosen : throw new InvalidOperationException($"SIGNET_BENCH_SERVER_DLL: {chosen} does not exist.");
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Signet.slnx")))
        {
            directory = directory.Parent;
        }

        var dll = directory is null ? null : Path.Combine(directory.FullName, "src", "Signet.Server", "bin", configuration, "net10.0", "signet-server.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"signet-server.dll ({configuration}) was not found: build the solution first.");
    }
}
