using System.Diagnostics;

namespace Signet.Bench;

/// <summary>`verify-interleaved`: the same two cases as <see cref="VerifyBenchmarks"/>, measured in alternating short
/// batches so that both see the same machine load. BenchmarkDotNet runs the cases one after the other, which on a
/// shared, busy machine can skew their ratio either way; the per-case minimum over many interleaved batches is the
/// least disturbed figure.</summary>
internal static class InterleavedVerify
{
    private const int Rounds = 400;
    private const int BatchSize = 50;

    public static void Run()
    {
        var benchmarks = new VerifyBenchmarks();
        benchmarks.Setup();
        try
        {
            var raw = new double[Rounds];
            var verifier = new double[Rounds];
            for (var i = 0; i < 2000; i++)
            {
                benchmarks.RsaVerifyDataAlone();
                benchmarks.DeviceSignatureVerifierVerify();
            }

            for (var round = 0; round < Rounds; round++)
            {
                raw[round] = Measure(() => benchmarks.RsaVerifyDataAlone());
                verifier[round] = Measure(() => benchmarks.DeviceSignatureVerifierVerify());
            }

            Array.Sort(raw);
            Array.Sort(verifier);
            Console.WriteLine($"{"case",-32} {"min µs",10} {"median µs",10}");
            Console.WriteLine($"{"RSA.VerifyData alone",-32} {raw[0],10:F2} {raw[Rounds / 2],10:F2}");
            Console.WriteLine($"{"DeviceSignatureVerifier.Verify",-32} {verifier[0],10:F2} {verifier[Rounds / 2],10:F2}");
            Console.WriteLine($"ratio (min) {verifier[0] / raw[0]:F3}, ratio (median) {verifier[Rounds / 2] / raw[Rounds / 2]:F3}");
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    private static double Measure(Func<bool> operation)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < BatchSize; i++)
        {
            if (!operation())
            {
                throw new InvalidOperationException("A verification failed during the benchmark.");
            }
        }

        return stopwatch.Elapsed.TotalMicroseconds / BatchSize;
    }
}
