using System.Diagnostics;
using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>Every benchmark scenario (bench/README.md) run end to end with tiny sizes against the real server, on SQLite
/// and on PostgreSQL, so none of them rots between full runs. Figures are not checked here: only that each scenario
/// finishes and writes its figures.</summary>
public sealed class BenchSmokeTests
{
    public static TheoryData<string, string, string[]> Scenarios => new()
    {
        { "enroll", "enroll", ["--computers", "6", "--warmup", "4", "--connections", "2"] },
        { "tls-enroll", "tls-enroll-ecdsa-p256", ["--ca-key", "ECDSA-P256", "--computers", "4", "--warmup", "3", "--handshakes", "6", "--connections", "2"] },
        { "checkin", "checkin", ["--devices", "3", "--requests", "12", "--warmup", "6", "--rounds", "1", "--connections", "2"] },
        { "scale", "scale", ["--devices", "3", "--computers", "40", "--requests", "12", "--warmup", "6", "--rounds", "1", "--connections", "2"] },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task ScenarioRunsOnSqlite(string scenario, string figures, string[] sizes) =>
        await RunAsync(scenario, figures, sizes, postgres: null);

    [PostgresTheory]
    [MemberData(nameof(Scenarios))]
    public async Task ScenarioRunsOnPostgres(string scenario, string figures, string[] sizes) =>
        await RunAsync(scenario, figures + "-postgres", sizes, PostgresTheoryAttribute.ConnectionString ??
            throw new InvalidOperationException("CI=true but SIGNET_TEST_POSTGRES is not set: the PostgreSQL bench smoke tests must run in CI."));

    private static async Task RunAsync(string scenario, string figures, string[] sizes, string? postgres)
    {
        var output = Directory.CreateTempSubdirectory("signet-bench-smoke-").FullName;
        try
        {
            var start = new ProcessStartInfo(Programs.DotnetHost)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])[Programs.BenchDll, scenario, "--quick", "--output", output, .. sizes])
            {
                start.ArgumentList.Add(argument);
            }

            if (postgres is not null)
            {
                start.ArgumentList.Add("--database");
                start.ArgumentList.Add("postgres");
                start.Environment["SIGNET_BENCH_POSTGRES"] = postgres;
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"bench {scenario} did not finish:\n{await stdout}\n{await stderr}");
            }

            Assert.True(process.ExitCode == 0, $"bench {scenario} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
            var json = Path.Combine(output, figures + ".json");
            Assert.True(File.Exists(json), $"bench {scenario} wrote no {figures}.json:\n{await stdout}");
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            Assert.True(File.Exists(Path.Combine(output, figures + ".png")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

/// <summary>A theory that needs PostgreSQL: it runs when SIGNET_TEST_POSTGRES is set, is skipped with the reason
/// otherwise, and is never skipped under CI (CI=true), where it then fails for want of the database.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public static readonly string? ConnectionString =
        Environment.GetEnvironmentVariable("SIGNET_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public PostgresTheoryAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (ConnectionString is null && !ci)
        {
            Skip = "PostgreSQL not configured: set SIGNET_TEST_POSTGRES to a connection string of a role that may create databases.";
        }
    }
}
