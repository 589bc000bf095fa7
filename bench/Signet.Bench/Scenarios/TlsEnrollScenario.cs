using Signet.Bench.Load;

namespace Signet.Bench.Scenarios;

/// <summary>Server CPU per request of one way of connecting.</summary>
internal sealed record ConnectionCost(int Requests, double PerSecond, double ServerCpuMsPerRequest, double LatencyP50Ms, double LatencyP99Ms);

/// <summary>Figures of <c>tls-enroll</c>.</summary>
internal sealed record TlsEnrollFigures(
    string CaKey,
    string Database,
    int Connections,
    double RawSignMsPerSignature,
    ConnectionCost KeptAlive,
    ConnectionCost NewConnectionFullHandshake,
    ConnectionCost NewConnectionSharedClient,
    double ServerCpuMsPerFullHandshake,
    double ServerCpuMsPerResumableHandshake,
    ConnectionCost Enrollments,
    double EnrollmentCpuOverRawSign,
    ConnectionCost BareKestrelKeptAlive,
    ConnectionCost BareKestrelNewConnection,
    double BareKestrelCpuMsPerHandshake,
    ConnectionCost? OpenSslNewConnection);

/// <summary><c>tls-enroll</c>: the server over https with a CA key of the caller's choice (<c>--ca-key</c>). First the
/// price of a connection: <c>GET /healthz/live</c> (no database work) on kept-alive connections, then each on a new connection from a client
/// that keeps nothing (a full handshake, as one <c>curl</c> per request), then each on a new connection from one
/// client that may resume its TLS session; a handshake costs the difference to the kept-alive request. Then N
/// computers enroll, each on a new connection with a full handshake; beside it the raw signing cost of the same key.
/// Last, the same requests against two references that do nothing but TLS (<see cref="HandshakeReferences"/>): a bare
/// Kestrel set up as Signet's TLS is, and OpenSSL's <c>s_server</c>.</summary>
internal static class TlsEnrollScenario
{
    private static readonly Uri HealthPath = new("/healthz/live", UriKind.Relative);

    public static async Task RunAsync(BenchArguments arguments)
    {
        var caKey = arguments.CaKey ?? "RSA-4096";
        var count = arguments.Get("computers", 1_000, 200);
        var handshakes = arguments.Get("handshakes", 3_000, 600);
        var connections = arguments.Get("connections", Environment.ProcessorCount, Environment.ProcessorCount);
        Console.WriteLine($"tls-enroll: CA {caKey}, {count} enrollments, {handshakes} requests per connection kind, {connections} connections, {arguments.Database}");

        var computers = Fleet.WithEcdsaKeys(count, Fleet.Prefix("tls"));
        var warmupCount = arguments.Get("warmup", Math.Max(100, count / 10), Math.Max(100, count / 10));
        var warmup = Fleet.WithEcdsaKeys(warmupCount, Fleet.Prefix("warmup"));
        using var data = new TempDirectory();
        await using var database = await BenchDatabase.CreateAsync(arguments.Database);
        await using var server = await BenchServer.StartAsync(data.Path, new ServerSettings(Https: true, CaKey: caKey, Database: database));
        var admin = server.Admin;
        var invitation = await admin.CreateInvitationAsync(count + warmup.Length);
        using var client = LoadRunner.CreateClient(server, connections);

        var health = Enumerable.Range(0, handshakes).Select(_ => new PreparedRequest(null, [])).ToArray();
        var warmHealth = health[..Math.Min(handshakes, warmupCount)];
        CheckInScenario.Check(await LoadRunner.RunAsync(client, HealthPath, warmHealth, connections), "warm-up");
        CheckInScenario.Check(await LoadRunner.RunOnNewConnectionsAsync(server, HealthPath, warmHealth, connections), "warm-up");
        CheckInScenario.Check(await LoadRunner.RunOnNewConnectionsAsync(client, HealthPath, warmHealth, connections), "warm-up");
        CheckInScenario.Check(await LoadRunner.RunOnNewConnectionsAsync(server, Fleet.EnrollPath,
            warmup.Select(c => new PreparedRequest(c.EnrollBody(invitation), [])).ToArray(), connections), "warm-up enrollment");

        var keptAlive = await MeasureAsync(server, () => LoadRunner.RunAsync(client, HealthPath, health, connections), "kept-alive");
        var full = await MeasureAsync(server, () => LoadRunner.RunOnNewConnectionsAsync(server, HealthPath, health, connections), "new connection");
        var shared = await MeasureAsync(server, () => LoadRunner.RunOnNewConnectionsAsync(client, HealthPath, health, connections), "new connection, shared client");

        var rawBefore = EnrollScenario.RawSignPerSecond(TimeSpan.FromSeconds(1), caKey);
        var enrollments = await MeasureAsync(server, () => LoadRunner.RunOnNewConnectionsAsync(server, Fleet.EnrollPath,
            computers.Select(c => new PreparedRequest(c.EnrollBody(invitation), [])).ToArray(), connections), "enrollment");
        var rawAfter = EnrollScenario.RawSignPerSecond(TimeSpan.FromSeconds(1), caKey);
        var rawMs = 1000 / ((rawBefore + rawAfter) / 2);

        using var references = new HandshakeReferences();
        ConnectionCost bareKeptAlive, bareNew;
        using (var kestrel = await references.StartKestrelAsync())
        {
            using var bareClient = new HttpClient(references.NewHandler(connections)) { BaseAddress = kestrel.BaseAddress };
            CheckInScenario.Check(await LoadRunner.RunAsync(bareClient, kestrel.Path, warmHealth, connections), "warm-up");
            CheckInScenario.Check(await OnNewConnectionsAsync(kestrel, warmHealth, connections), "warm-up");
            bareKeptAlive = await MeasureAsync(kestrel.ProcessId, () => LoadRunner.RunAsync(bareClient, kestrel.Path, health, connections), "bare Kestrel, kept-alive");
            bareNew = await MeasureAsync(kestrel.ProcessId, () => OnNewConnectionsAsync(kestrel, health, connections), "bare Kestrel, new connection");
        }

        ConnectionCost? openSsl = null;
        using (var sServer = await references.StartOpenSslAsync())
        {
            if (sServer is not null)
            {
                CheckInScenario.Check(await OnNewConnectionsAsync(sServer, warmHealth, connections), "warm-up");
                openSsl = await MeasureAsync(sServer.ProcessId, () => OnNewConnectionsAsync(sServer, health, connections), "openssl s_server, new connection");
            }
        }

        var figures = new TlsEnrollFigures(caKey, database.Kind.ToString(), connections, rawMs, keptAlive, full, shared,
            full.ServerCpuMsPerRequest - keptAlive.ServerCpuMsPerRequest, shared.ServerCpuMsPerRequest - keptAlive.ServerCpuMsPerRequest,
            enrollments, enrollments.ServerCpuMsPerRequest / rawMs,
            bareKeptAlive, bareNew, bareNew.ServerCpuMsPerRequest - bareKeptAlive.ServerCpuMsPerRequest, openSsl);
        Report.Write(arguments.OutputDirectory, Report.Name("tls-enroll", arguments) + (arguments.CaKey is null ? "-" + caKey.ToLowerInvariant() : ""), figures,
        [
            ("CA key / database / connections", $"{caKey} / {database.Kind} / {connections}"),
            ("raw CA signature, CPU ms", Report.Number(rawMs, "N3")),
            ("server CPU ms per GET /healthz/live: kept alive", Row(keptAlive)),
            ("  new connection, full handshake", Row(full)),
            ("  new connection, client that may resume", Row(shared)),
            ("server CPU ms per handshake: full / resumable (target ≤ 1)",
                $"{Report.Number(figures.ServerCpuMsPerFullHandshake, "N3")} / {Report.Number(figures.ServerCpuMsPerResumableHandshake, "N3")}"),
            ("server CPU ms per enrollment on a new connection (target ≤ 10 for RSA-4096)", Row(enrollments)),
            ("enrollment CPU ÷ raw CA signature", Report.Number(figures.EnrollmentCpuOverRawSign, "N2")),
            ("reference: bare Kestrel, same TLS setup: kept alive", Row(bareKeptAlive)),
            ("  new connection", Row(bareNew)),
            ("  server CPU ms per handshake", Report.Number(figures.BareKestrelCpuMsPerHandshake, "N3")),
            ("reference: openssl s_server, per new connection", openSsl is { } o ? Row(o) : "openssl not installed"),
        ],
        $"Server CPU per request over https, CA {caKey}", "CPU ms",
        [
            new("kept alive", keptAlive.ServerCpuMsPerRequest),
            new("full handshake", full.ServerCpuMsPerRequest),
            new("resumable", shared.ServerCpuMsPerRequest),
            new("enrollment", enrollments.ServerCpuMsPerRequest),
            new("raw CA sign", rawMs),
            new("bare Kestrel, new connection", bareNew.ServerCpuMsPerRequest),
            new("openssl s_server, new connection", openSsl?.ServerCpuMsPerRequest ?? 0),
        ]);
    }

    private static string Row(ConnectionCost cost) =>
        $"{Report.Number(cost.ServerCpuMsPerRequest, "N3")} ({Report.Number(cost.PerSecond)}/s, p50 {Report.Number(cost.LatencyP50Ms, "N1")} ms, p99 {Report.Number(cost.LatencyP99Ms, "N1")} ms)";

    private static Task<LoadResult> OnNewConnectionsAsync(ReferenceServer server, PreparedRequest[] requests, int connections) =>
        LoadRunner.RunOnNewConnectionsAsync(() => server.References.NewHandler(connections: 1), server.BaseAddress, server.Path, requests, connections);

    private static Task<ConnectionCost> MeasureAsync(ServerProcess server, Func<Task<LoadResult>> run, string what) =>
        MeasureAsync(server.ProcessId, run, what);

    private static async Task<ConnectionCost> MeasureAsync(int processId, Func<Task<LoadResult>> run, string what)
    {
        var before = ServerProcessCost.CpuTime(processId);
        var result = CheckInScenario.Check(await run(), what);
        var cpu = ServerProcessCost.CpuTime(processId) - before;
        Console.WriteLine($"  {what,-30} {result.PerSecond,8:N0}/s  {cpu.TotalMilliseconds / result.Count,8:N3} server CPU ms each");
        return new ConnectionCost(result.Count, result.PerSecond, cpu.TotalMilliseconds / result.Count,
            LoadRunner.Percentile(result.LatenciesMs, 50), LoadRunner.Percentile(result.LatenciesMs, 99));
    }
}
