using Signet.Bench.Load;

namespace Signet.Bench.Scenarios;

/// <summary>Throughput and latency of one kind of request.</summary>
internal sealed record Throughput(int Requests, double PerSecond, double LatencyP50Ms, double LatencyP99Ms)
{
    public static Throughput From(LoadResult result) => new(result.Count, result.PerSecond,
        LoadRunner.Percentile(result.LatenciesMs, 50), LoadRunner.Percentile(result.LatenciesMs, 99));
}

/// <summary>Figures of <c>checkin</c>.</summary>
internal sealed record CheckInFigures(
    int Devices,
    int Connections,
    int Rounds,
    double SignedPerSecond,
    double UnsignedPerSecond,
    double Ratio,
    Throughput Signed,
    Throughput Unsigned,
    double SignedServerCpuMsPerRequest,
    double UnsignedServerCpuMsPerRequest,
    string DeviceKey,
    string Database);

/// <summary><c>checkin</c>: D enrolled computers, R check-ins signed before timing, sent with certificate-based
/// communication on; then as many unsigned check-ins with it off, against the same server. The two kinds alternate
/// in several rounds (signed first in even rounds, unsigned first in odd ones) so machine drift hits both alike.</summary>
internal static class CheckInScenario
{
    // 4 connections per core: enough that the server always has a request ready while the loopback round trip
    // and the client's own work happen, without measuring queueing.
    public static int DefaultConnections => 4 * Environment.ProcessorCount;

    public static async Task RunAsync(BenchArguments arguments)
    {
        var devices = arguments.Get("devices", 1_000, 200);
        var requests = arguments.Get("requests", 100_000, 10_000);
        var connections = arguments.Get("connections", DefaultConnections, DefaultConnections);
        var rounds = arguments.Get("rounds", 5, 3);
        Console.WriteLine($"checkin: {devices} devices, {requests} signed + {requests} unsigned requests, {connections} connections, {rounds} rounds");

        using var data = new TempDirectory();
        await using var database = await BenchDatabase.CreateAsync(arguments.Database);
        await using var server = await BenchServer.StartAsync(data.Path, new ServerSettings(Database: database));
        var admin = server.Admin;
        var computers = await EnrollFleetAsync(server, admin, devices);

        var stamp = Stamp.Now();
        var signed = Fleet.SignedCheckIns(server.BaseAddress, computers, requests);
        var unsigned = Fleet.UnsignedCheckIns(computers, requests);
        // Enough to let the JIT finish tiering the whole request path before anything is timed.
        var warmup = arguments.Get("warmup", Math.Max(2_000, requests / 20), Math.Max(2_000, requests / 20));
        var warmSigned = Fleet.SignedCheckIns(server.BaseAddress, computers, warmup);
        Console.WriteLine($"prepared {requests + warmup} signed requests in {stamp.Seconds():N1} s");

        using var client = LoadRunner.CreateClient(server, connections);
        await admin.SetSecurityAsync(certificateBasedCommunication: true);
        Check(await LoadRunner.RunAsync(client, Fleet.CheckInPath, warmSigned, connections), "signed warm-up");
        await admin.SetSecurityAsync(certificateBasedCommunication: false);
        Check(await LoadRunner.RunAsync(client, Fleet.CheckInPath, unsigned[..warmup], connections), "unsigned warm-up");

        var signedParts = new List<LoadResult>();
        var unsignedParts = new List<LoadResult>();
        var signedCpu = TimeSpan.Zero;
        var unsignedCpu = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            var from = requests * round / rounds;
            var to = requests * (round + 1) / rounds;
            for (var half = 0; half < 2; half++)
            {
                var signedTurn = (round + half) % 2 == 0;
                await admin.SetSecurityAsync(certificateBasedCommunication: signedTurn);
                var cpu = server.CpuTime();
                var result = Check(await LoadRunner.RunAsync(client, Fleet.CheckInPath, (signedTurn ? signed : unsigned)[from..to], connections),
                    signedTurn ? "signed" : "unsigned");
                (signedTurn ? signedParts : unsignedParts).Add(result);
                if (signedTurn)
                {
                    signedCpu += server.CpuTime() - cpu;
                }
                else
                {
                    unsignedCpu += server.CpuTime() - cpu;
                }

                Console.WriteLine($"  round {round + 1} {(signedTurn ? "signed  " : "unsigned")} {result.PerSecond,10:N0}/s");
            }
        }

        var signedTotal = LoadRunner.Combine(signedParts);
        var unsignedTotal = LoadRunner.Combine(unsignedParts);
        var figures = new CheckInFigures(devices, connections, rounds, signedTotal.PerSecond, unsignedTotal.PerSecond,
            signedTotal.PerSecond / unsignedTotal.PerSecond, Throughput.From(signedTotal), Throughput.From(unsignedTotal),
            signedCpu.TotalMilliseconds / signedTotal.Count, unsignedCpu.TotalMilliseconds / unsignedTotal.Count,
            "RSA-2048, rsa-pss-sha512", database.Kind.ToString());
        Report.Write(arguments.OutputDirectory, Report.Name("checkin", arguments), figures,
        [
            ("devices / connections / rounds / database", $"{devices} / {connections} / {rounds} / {database.Kind}"),
            ("signed per second", Report.Number(figures.SignedPerSecond)),
            ("unsigned per second", Report.Number(figures.UnsignedPerSecond)),
            ("ratio signed ÷ unsigned (target ≥ 0.85)", Report.Number(figures.Ratio, "N3")),
            ("signed latency p50 / p99 ms", $"{Report.Number(figures.Signed.LatencyP50Ms, "N2")} / {Report.Number(figures.Signed.LatencyP99Ms, "N2")}"),
            ("unsigned latency p50 / p99 ms", $"{Report.Number(figures.Unsigned.LatencyP50Ms, "N2")} / {Report.Number(figures.Unsigned.LatencyP99Ms, "N2")}"),
            ("server CPU ms per request signed / unsigned",
                $"{Report.Number(figures.SignedServerCpuMsPerRequest, "N3")} / {Report.Number(figures.UnsignedServerCpuMsPerRequest, "N3")}"),
        ],
        "Check-in throughput", "requests per second",
        [
            new("signed", figures.SignedPerSecond),
            new("unsigned", figures.UnsignedPerSecond),
        ]);
    }

    /// <summary>Enrolls <paramref name="devices"/> computers with RSA keys, sends each one's inventory (a fleet's steady
    /// state: the daily inventory is in) and raises the clock skew to the maximum, so requests signed before timing stay
    /// inside the window for the whole run.</summary>
    public static async Task<SimulatedComputer[]> EnrollFleetAsync(ServerProcess server, HttpClient admin, int devices)
    {
        var stamp = Stamp.Now();
        var computers = Fleet.WithRsaKeys(devices, Fleet.Prefix("device"));
        var invitation = await admin.CreateInvitationAsync(devices);
        await Fleet.EnrollAsync(server, computers, invitation, 2 * Environment.ProcessorCount);
        await Fleet.SendInventoriesAsync(server, computers, 2 * Environment.ProcessorCount);
        await admin.SetSecurityAsync(maximumClockSkewSeconds: 3600);
        Console.WriteLine($"enrolled {devices} devices in {stamp.Seconds():N1} s");
        return computers;
    }

    public static LoadResult Check(LoadResult result, string what) => result.Failures == 0
        ? result
        : throw new InvalidOperationException($"{result.Failures} of {result.Count} {what} requests failed, e.g. {result.FirstFailure}");
}

/// <summary>A start time for progress messages.</summary>
internal readonly record struct Stamp(long Started)
{
    public static Stamp Now() => new(System.Diagnostics.Stopwatch.GetTimestamp());

    public double Seconds() => System.Diagnostics.Stopwatch.GetElapsedTime(Started).TotalSeconds;
}
