using System.Diagnostics;
using System.Security.Cryptography;
using Signet.Bench.Load;

namespace Signet.Bench.Scenarios;

/// <summary>Figures of <c>enroll</c>.</summary>
internal sealed record EnrollFigures(
    int Computers,
    int Connections,
    double Seconds,
    double IssuedPerSecond,
    double RawSignPerSecondPerCore,
    double RawSignPerSecondBefore,
    double RawSignPerSecondAfter,
    double CoresUsed,
    double ServerUserCpuMsPerEnrollment,
    double ServerSystemCpuMsPerEnrollment,
    double RatioPerCore,
    double LatencyP50Ms,
    double LatencyP99Ms,
    string CaAlgorithm,
    string Database);

/// <summary><c>enroll</c>: N simulated computers (keys and CSRs made before timing) enroll concurrently against a
/// real server; beside it, the raw signing rate of a key like the CA's on one core. Enrollment is bound by the CA's
/// signature, so issued per second per server core used, over raw signatures per second per core, says how much
/// of the work is anything else.</summary>
internal static class EnrollScenario
{
    public static async Task RunAsync(BenchArguments arguments)
    {
        var count = arguments.Get("computers", 2_000, 200);
        var connections = arguments.Get("connections", 2 * Environment.ProcessorCount, 2 * Environment.ProcessorCount);
        Console.WriteLine($"enroll: {count} computers, {connections} connections");

        var computers = Fleet.WithEcdsaKeys(count, Fleet.Prefix("enroll"));
        using var data = new TempDirectory();
        await using var database = await BenchDatabase.CreateAsync(arguments.Database);
        var caKey = arguments.CaKey ?? "RSA-2048";
        await using var server = await BenchServer.StartAsync(data.Path, new ServerSettings(CaKey: caKey, Database: database));
        var admin = server.Admin;
        var warmupCount = arguments.Get("warmup", Math.Max(200, count / 10), Math.Max(200, count / 10));
        var invitation = await admin.CreateInvitationAsync(count + warmupCount);
        var requests = computers.Select(c => new PreparedRequest(c.EnrollBody(invitation), [])).ToArray();
        using var client = LoadRunner.CreateClient(server, connections);

        // Warm up with computers that are not counted: first-call JIT, connection pools, SQLite page cache.
        var warmup = Fleet.WithEcdsaKeys(warmupCount, Fleet.Prefix("warmup"));
        await LoadRunner.RunAsync(client, Fleet.EnrollPath, warmup.Select(c => new PreparedRequest(c.EnrollBody(invitation), [])).ToArray(), connections);

        var rawBefore = RawSignPerSecond(TimeSpan.FromSeconds(arguments.Quick ? 1 : 3), caKey);
        var userBefore = server.UserTime();
        var systemBefore = server.SystemTime();
        var result = await LoadRunner.RunAsync(client, Fleet.EnrollPath, requests, connections);
        var user = server.UserTime() - userBefore;
        var system = server.SystemTime() - systemBefore;
        var cpu = user + system;
        var rawAfter = RawSignPerSecond(TimeSpan.FromSeconds(arguments.Quick ? 1 : 3), caKey);
        if (result.Failures > 0)
        {
            throw new InvalidOperationException($"{result.Failures} enrollments failed, e.g. {result.FirstFailure}");
        }

        var raw = (rawBefore + rawAfter) / 2;
        var cores = cpu / result.Elapsed;
        var figures = new EnrollFigures(count, connections, result.Elapsed.TotalSeconds, result.PerSecond, raw, rawBefore, rawAfter, cores,
            user.TotalMilliseconds / count, system.TotalMilliseconds / count,
            result.PerSecond / (raw * cores), LoadRunner.Percentile(result.LatenciesMs, 50), LoadRunner.Percentile(result.LatenciesMs, 99),
            caKey, database.Kind.ToString());
        Report.Write(arguments.OutputDirectory, Report.Name("enroll", arguments), figures,
        [
            ("computers enrolled / CA key / database", $"{Report.Number(count)} / {caKey} / {database.Kind}"),
            ("issued per second", Report.Number(figures.IssuedPerSecond, "N1")),
            ("raw CA signatures per second per core", Report.Number(raw, "N1") + $" (before {Report.Number(rawBefore)}, after {Report.Number(rawAfter)})"),
            ("server cores used", Report.Number(cores, "N2")),
            ("server CPU ms per enrollment user / kernel",
                $"{Report.Number(figures.ServerUserCpuMsPerEnrollment, "N2")} / {Report.Number(figures.ServerSystemCpuMsPerEnrollment, "N2")}"),
            ("ratio per core (target ≥ 0.40)", Report.Number(figures.RatioPerCore, "N3")),
            ("latency p50 / p99 ms", $"{Report.Number(figures.LatencyP50Ms, "N1")} / {Report.Number(figures.LatencyP99Ms, "N1")}"),
        ],
        "Enrollment vs raw CA signing", "per second",
        [
            new("issued/s", figures.IssuedPerSecond),
            new("raw sign/s × cores used", raw * cores),
        ]);
    }

    /// <summary>Signatures per CPU second of one thread, with a fresh key of the CA's algorithm, hash and padding
    /// (<c>Signet:Ca:KeyAlgorithm</c>: RSA PKCS#1 v1.5 SHA-256, ECDSA P-256 SHA-256 or P-384 SHA-384) over a
    /// to-be-signed size like a device certificate's. Counting the thread's CPU time rather than the wall clock keeps
    /// the figure right on a machine busy with other work, like the server's CPU time it is set against.</summary>
    internal static double RawSignPerSecond(TimeSpan duration, string caKey = "RSA-2048")
    {
        using AsymmetricAlgorithm key = caKey.StartsWith("RSA-", StringComparison.Ordinal)
            ? RSA.Create(int.Parse(caKey[4..], System.Globalization.CultureInfo.InvariantCulture))
            : ECDsa.Create(caKey == "ECDSA-P384" ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256);
        var tbs = RandomNumberGenerator.GetBytes(700);
        Action sign = key switch
        {
            RSA rsa => () => rsa.SignData(tbs, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec when ec.KeySize > 256 => () => ec.SignData(tbs, HashAlgorithmName.SHA384),
            ECDsa ec => () => ec.SignData(tbs, HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(caKey),
        };
        for (var i = 0; i < 20; i++)
        {
            sign();
        }

        var cpuBefore = ThreadCpuTime.Current();
        var clock = Stopwatch.StartNew();
        var count = 0;
        while (clock.Elapsed < duration)
        {
            sign();
            count++;
        }

        return count / (ThreadCpuTime.Current() - cpuBefore).TotalSeconds;
    }
}
