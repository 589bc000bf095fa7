using Signet.Bench.Load;

namespace Signet.Bench.Scenarios;

/// <summary>One fleet size's figures in <c>scale</c>.</summary>
internal sealed record ScaleCase(int Computers, Throughput Signed, double ServerCpuMsPerRequest, long PeakResidentBytes, double SeedSeconds);

/// <summary>Figures of <c>scale</c>.</summary>
internal sealed record ScaleFigures(
    int ActiveDevices,
    int Connections,
    int Rounds,
    ScaleCase Small,
    ScaleCase Large,
    double SmallPerSecond,
    double LargePerSecond,
    double Ratio,
    double PeakResidentRatio);

/// <summary><c>scale</c>: signed check-ins of the same active computers against two servers that differ only in how
/// many computers they know: the one enrolled fleet, and a copy of its data folder bulk-seeded with filler computers
/// and certificates. Both run side by side and take turns in rounds, so drift hits both alike; each is a fresh
/// process, so its peak RSS (VmHWM) is what that fleet size costs.</summary>
internal static class ScaleScenario
{
    public static async Task RunAsync(BenchArguments arguments)
    {
        var active = arguments.Get("devices", 1_000, 200);
        var large = arguments.Get("computers", 1_000_000, 100_000);
        var requests = arguments.Get("requests", 50_000, 6_000);
        var connections = arguments.Get("connections", CheckInScenario.DefaultConnections, CheckInScenario.DefaultConnections);
        var rounds = arguments.Get("rounds", 4, 2);
        Console.WriteLine($"scale: {active} active of {active} vs {large} computers, {requests} signed requests each, {connections} connections");

        using var smallData = new TempDirectory();
        using var largeData = new TempDirectory();
        await using var smallDatabase = await BenchDatabase.CreateAsync(arguments.Database);
        SimulatedComputer[] computers;
        // Both servers share the master key, so the large copy can read the CA the small one made.
        var smallSettings = new ServerSettings(Database: smallDatabase);
        await using (var first = await BenchServer.StartAsync(smallData.Path, smallSettings))
        {
            var admin = first.Admin;
            computers = await CheckInScenario.EnrollFleetAsync(first, admin, active);
            await admin.SetSecurityAsync(certificateBasedCommunication: true);
            await first.StopAsync();
        }

        foreach (var file in Directory.EnumerateFiles(smallData.Path))
        {
            File.Copy(file, Path.Combine(largeData.Path, Path.GetFileName(file)));
        }

        var stamp = Stamp.Now();
        await using var largeDatabase = await BenchDatabase.CreateAsync(arguments.Database, copyOf: smallDatabase.Name);
        if (largeDatabase.ConnectionString is { } copy)
        {
            await BulkSeeder.SeedPostgresAsync(copy, large - active);
        }
        else
        {
            BulkSeeder.Seed(Path.Combine(largeData.Path, "signet.db"), large - active);
        }

        var seedSeconds = stamp.Seconds();
        Console.WriteLine($"seeded {large - active} filler computers in {seedSeconds:N1} s");

        await using var small = await BenchServer.StartAsync(smallData.Path, smallSettings);
        await using var big = await BenchServer.StartAsync(largeData.Path, new ServerSettings(Database: largeDatabase));
        stamp = Stamp.Now();
        var smallRequests = Fleet.SignedCheckIns(small.BaseAddress, computers, requests);
        var largeRequests = Fleet.SignedCheckIns(big.BaseAddress, computers, requests);
        var warmup = arguments.Get("warmup", Math.Max(2_000, requests / 20), Math.Max(2_000, requests / 20));
        var smallWarmup = Fleet.SignedCheckIns(small.BaseAddress, computers, warmup);
        var largeWarmup = Fleet.SignedCheckIns(big.BaseAddress, computers, warmup);
        Console.WriteLine($"prepared {2 * (requests + warmup)} signed requests in {stamp.Seconds():N1} s");

        using var smallClient = LoadRunner.CreateClient(small, connections);
        using var largeClient = LoadRunner.CreateClient(big, connections);
        CheckInScenario.Check(await LoadRunner.RunAsync(smallClient, Fleet.CheckInPath, smallWarmup, connections), "warm-up");
        CheckInScenario.Check(await LoadRunner.RunAsync(largeClient, Fleet.CheckInPath, largeWarmup, connections), "warm-up");

        var parts = new[] { new List<LoadResult>(), new List<LoadResult>() };
        var cpu = new[] { TimeSpan.Zero, TimeSpan.Zero };
        var servers = new[] { small, big };
        var clients = new[] { smallClient, largeClient };
        var prepared = new[] { smallRequests, largeRequests };
        for (var round = 0; round < rounds; round++)
        {
            var from = requests * round / rounds;
            var to = requests * (round + 1) / rounds;
            for (var half = 0; half < 2; half++)
            {
                var which = (round + half) % 2;
                var before = servers[which].CpuTime();
                var result = CheckInScenario.Check(
                    await LoadRunner.RunAsync(clients[which], Fleet.CheckInPath, prepared[which][from..to], connections), "signed");
                cpu[which] += servers[which].CpuTime() - before;
                parts[which].Add(result);
                Console.WriteLine($"  round {round + 1} {(which == 0 ? active : large),9} computers {result.PerSecond,10:N0}/s");
            }
        }

        var smallTotal = LoadRunner.Combine(parts[0]);
        var largeTotal = LoadRunner.Combine(parts[1]);
        var smallCase = new ScaleCase(active, Throughput.From(smallTotal), cpu[0].TotalMilliseconds / smallTotal.Count, small.PeakResidentBytes(), 0);
        var largeCase = new ScaleCase(large, Throughput.From(largeTotal), cpu[1].TotalMilliseconds / largeTotal.Count, big.PeakResidentBytes(), seedSeconds);
        var figures = new ScaleFigures(active, connections, rounds, smallCase, largeCase, smallTotal.PerSecond, largeTotal.PerSecond,
            largeTotal.PerSecond / smallTotal.PerSecond, largeCase.PeakResidentBytes / (double)smallCase.PeakResidentBytes);
        Report.Write(arguments.OutputDirectory, Report.Name("scale", arguments), figures,
        [
            ("active devices / connections / rounds / database", $"{active} / {connections} / {rounds} / {arguments.Database}"),
            ($"signed per second, {active} computers", Report.Number(figures.SmallPerSecond)),
            ($"signed per second, {large} computers", Report.Number(figures.LargePerSecond)),
            ("ratio large ÷ small (target ≥ 0.90)", Report.Number(figures.Ratio, "N3")),
            ("peak RSS small / large MiB", $"{Report.Number(smallCase.PeakResidentBytes / 1048576.0, "N1")} / {Report.Number(largeCase.PeakResidentBytes / 1048576.0, "N1")}"),
            ("peak RSS ratio (computers ×" + Report.Number(large / (double)active) + ")", Report.Number(figures.PeakResidentRatio, "N2")),
            ("latency p50 / p99 ms small", $"{Report.Number(smallCase.Signed.LatencyP50Ms, "N2")} / {Report.Number(smallCase.Signed.LatencyP99Ms, "N2")}"),
            ("latency p50 / p99 ms large", $"{Report.Number(largeCase.Signed.LatencyP50Ms, "N2")} / {Report.Number(largeCase.Signed.LatencyP99Ms, "N2")}"),
            ("server CPU ms per request small / large", $"{Report.Number(smallCase.ServerCpuMsPerRequest, "N3")} / {Report.Number(largeCase.ServerCpuMsPerRequest, "N3")}"),
        ],
        "Signed check-in throughput by fleet size", "requests per second",
        [
            new($"{active:N0} computers", figures.SmallPerSecond),
            new($"{large:N0} computers", figures.LargePerSecond),
        ]);
    }
}
