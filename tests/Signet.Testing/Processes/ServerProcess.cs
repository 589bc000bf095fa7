using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Signet.Protocol.Device;
using Signet.Testing.Admin;

namespace Signet.Testing.Processes;

/// <summary>A real <c>signet-server</c> process on a loopback port with its own data folder: what the end-to-end tests,
/// the cluster tests and the load benchmarks run against. Clients of it trust its CA only, learned at start from
/// <c>/agent/v1/ca</c> and checked against the fingerprint the server printed.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    public const string DefaultAdminPassword = "test-admin-password-1";

    private readonly Process _process;
    private readonly ServerProcessOptions _options;
    private readonly OutputLog _log = new();
    private readonly Lazy<HttpClient> _http;
    private readonly Lazy<HttpClient> _admin;

    private ServerProcess(Process process, ServerProcessOptions options, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        _options = options;
        BaseAddress = baseAddress;
        DataDirectory = dataDirectory;
        _http = new(() => new HttpClient(NewHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) });
        _admin = new(() => new HttpClient(new AdminLogin(options.AdminPassword ?? "") { InnerHandler = NewHandler() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        });
    }

    public Uri BaseAddress { get; }

    /// <summary>The address as an agent's <c>--server</c> takes it (no trailing slash).</summary>
    public string ServerUrl => BaseAddress.GetLeftPart(UriPartial.Authority);

    public int Port => BaseAddress.Port;
    public string DataDirectory { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed so far, for failure messages.</summary>
    public string Log => _log.ToString();

    /// <summary>The CA certificate (known once the server answers), which clients of this server trust for its TLS certificate.</summary>
    public X509Certificate2? Ca { get; private set; }

    /// <summary>The CA certificate's SHA-256 fingerprint as uppercase hex, as <c>signet enroll --ca-fingerprint</c> takes it.</summary>
    public string CaFingerprint => Ca is null ? "" : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Ca.RawData));

    /// <summary>A client of this server without credentials.</summary>
    public HttpClient Http => _http.Value;

    /// <summary>A client of the admin API, logged in as admin on its first request (<see cref="Admin.AdminApiCalls"/>).</summary>
    public HttpClient Admin => _admin.Value;

    /// <summary>Starts the server and waits until it answers.</summary>
    public static async Task<ServerProcess> StartAsync(ServerProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = Start(options);
        try
        {
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server without waiting (several nodes start side by side); <see cref="WaitUntilReadyAsync"/> before using it.</summary>
    public static ServerProcess Start(ServerProcessOptions? options = null)
    {
        options ??= new ServerProcessOptions();
        var data = options.DataDirectory ?? Directory.CreateTempSubdirectory("signet-server-process-").FullName;
        var url = new Uri($"{(options.Https ? "https" : "http")}://127.0.0.1:{options.Port ?? FreePort.Next()}/");
        var process = Process.Start(StartInfo(options, data, url)) ?? throw new InvalidOperationException("dotnet did not start.");
        var server = new ServerProcess(process, options, url, data);
        // A run stopped with Ctrl+C or SIGTERM must not leave its server behind.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.KillIfRunning();
        process.OutputDataReceived += (_, e) => server._log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server._log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts the server as <see cref="StartAsync"/> would and waits for it to exit on its own (a start it
    /// refuses); killed after <paramref name="timeout"/>, a minute by default.</summary>
    public static Task<ProgramResult> RunUntilExitAsync(ServerProcessOptions options, TimeSpan? timeout = null)
    {
        var data = options.DataDirectory ?? throw new ArgumentException("A refused start needs the data folder it refuses.", nameof(options));
        return ProgramRun.RunAsync(StartInfo(options, data, new Uri($"http://127.0.0.1:{options.Port ?? FreePort.Next()}/")), timeout ?? TimeSpan.FromMinutes(1));
    }

    /// <summary>Runs <c>signet-server</c> with a command-line verb (or a start it refuses) until it exits on its own.</summary>
    public static Task<ProgramResult> RunToExitAsync(IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, string? serverDll = null)
    {
        IEnumerable<KeyValuePair<string, string?>> variables = [new("ASPNETCORE_ENVIRONMENT", "Production"), .. Nullable(environment)];
        return ProgramRun.RunAsync(ProgramRun.DotnetHost, [serverDll ?? BuiltServerDll, .. arguments], variables, workingDirectory: workingDirectory);
    }

    /// <summary>signet-server.dll as built beside the running assembly (a project reference to the server puts it there).</summary>
    public static string BuiltServerDll => Path.Combine(AppContext.BaseDirectory, "signet-server.dll");

    /// <summary>A connection handler for this server: over https it trusts the server's CA only.</summary>
    public SocketsHttpHandler NewHandler(int connections = int.MaxValue)
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
            // The chain SslStream builds anyway ends at the server's CA: one chain per connection, not a second one in
            // a callback (the tls-enroll benchmark's client shares the server's cores). Names are still checked.
            handler.SslOptions.CertificateChainPolicy = TrustOnly(ca);
        }

        return handler;
    }

    /// <summary>A client chain policy that trusts <paramref name="root"/> alone, without revocation checks (loopback
    /// servers of a test or a benchmark).</summary>
    public static X509ChainPolicy TrustOnly(X509Certificate2 root) => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        CustomTrustStore = { root },
    };

    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        using var handler = Unverified();
        using var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var elapsed = Stopwatch.StartNew();
        while (elapsed.Elapsed < _options.ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"signet-server exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    await LearnCaAsync(client, cancellationToken);
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

        throw new TimeoutException($"signet-server did not become ready at {BaseAddress} in {_options.ReadyTimeout}:\n{Log}");
    }

    /// <summary>Stops the server: SIGKILL (no shutdown hooks, no flush) unless the options ask for a graceful stop.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        if (_options.StopGracefully)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // killed below
            }
        }

        Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGKILL at once: no shutdown hooks, no flush (a node that dies).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        if (_http.IsValueCreated)
        {
            _http.Value.Dispose();
        }

        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }

        if (!_options.KeepDataDirectory)
        {
            TempFolder.TryDelete(DataDirectory);
        }
    }

    private static ProcessStartInfo StartInfo(ServerProcessOptions options, string data, Uri url)
    {
        IEnumerable<string> server = [options.ServerDll ?? BuiltServerDll, "--urls", url.GetLeftPart(UriPartial.Authority)];
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Signet__DataDirectory"] = data,
            // Every client enrolls from 127.0.0.1; the per-address enrollment limit is not what these runs are about.
            ["Signet__Enrollment__PermitsPerMinute"] = "100000",
        };
        if (options.AdminPassword is { } password)
        {
            environment["Signet__Admin__InitialPassword"] = password;
        }

        foreach (var (name, value) in options.Environment)
        {
            environment[name] = value;
        }

        // Beside the data folder, which may not exist yet (the server makes it, with its own mode).
        var workingDirectory = Path.GetDirectoryName(Path.GetFullPath(data));
        // Through the shell so the umask applies to the server exactly as an operator's shell would set it.
        return options.Umask is { } umask
            ? ProgramRun.StartInfo("/bin/sh", ["-c", $"umask {umask} && exec \"$0\" \"$@\"", ProgramRun.DotnetHost, .. server], environment, workingDirectory)
            : ProgramRun.StartInfo(ProgramRun.DotnetHost, server, environment, workingDirectory);
    }

    /// <summary>Fetches the CA over the first, unverified connection (the server is a child process on loopback) and,
    /// over https, checks it against the fingerprint the server printed in its banner.</summary>
    private async Task LearnCaAsync(HttpClient unverified, CancellationToken cancellationToken)
    {
        var ca = X509Certificate2.CreateFromPem(await unverified.GetStringAsync(new Uri("/agent/v1/ca", UriKind.Relative), cancellationToken));
        if (_options.Https)
        {
            var fingerprint = CertificateFingerprints.Sha256(ca.RawData);
            var printed = await Eventually.WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(Log.Contains(fingerprint, StringComparison.Ordinal)));
            KitExpectationException.That(printed, $"The CA served at {BaseAddress} is not the one the server printed:\n{Log}");
        }

        Ca = ca;
    }

    /// <summary>Before the CA is known the server's certificate cannot be checked, as for an agent's first contact:
    /// only /healthz and the CA (checked against the printed fingerprint) are asked this way.</summary>
    private static SocketsHttpHandler Unverified()
    {
        var handler = new SocketsHttpHandler();
#pragma warning disable CA5359 // our own child process on loopback; the CA it serves is checked against its banner
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return handler;
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

    private static IEnumerable<KeyValuePair<string, string?>> Nullable(IReadOnlyDictionary<string, string>? environment) =>
        (environment ?? new Dictionary<string, string>()).Select(e => new KeyValuePair<string, string?>(e.Key, e.Value));
}
