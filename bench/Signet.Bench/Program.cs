using BenchmarkDotNet.Running;
using Signet.Bench;
using Signet.Bench.Load;
using Signet.Bench.Scenarios;

// `verify`: the device-signature verification benchmark (BenchmarkDotNet).
// `ca-sign`: device-certificate issuance with the CA key in memory vs in a SoftHSM2 token.
// `verify-interleaved`: the same two cases in alternating batches, for a steadier ratio on a busy machine.
// `enroll`, `tls-enroll`, `checkin`, `scale`: load scenarios against a real signet-server process (see
// bench/README.md), each taking [--quick] [--output DIR] [--database sqlite|postgres] [--ca-key ALG] and sizes as --name N.
// `tls-reference-server PORT PFX`: the bare Kestrel that `tls-enroll` starts as its handshake reference.
// `sign-latency`: how long one request signature takes with the key in a file, in SoftHSM2 and in the software TPM.
// Anything else goes to BenchmarkSwitcher (e.g. `--filter *`).
switch (args)
{
    case ["verify", .. var rest]:
        BenchmarkRunner.Run<VerifyBenchmarks>(args: rest);
        break;
    case ["ca-sign", .. var rest]:
        CaSignBenchmark.Run(rest);
        break;
    case ["verify-interleaved", ..]:
        InterleavedVerify.Run();
        break;
    case ["enroll", .. var rest]:
        await EnrollScenario.RunAsync(BenchArguments.Parse(rest));
        break;
    case ["checkin", .. var rest]:
        await CheckInScenario.RunAsync(BenchArguments.Parse(rest));
        break;
    case ["sign-latency", ..]:
        SignLatency.Run();
        break;
    case ["tls-enroll", .. var rest]:
        await TlsEnrollScenario.RunAsync(BenchArguments.Parse(rest));
        break;
    case [HandshakeReferences.KestrelServerVerb, var port, var pfx]:
        HandshakeReferences.RunKestrel(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), pfx);
        break;
    case ["scale", .. var rest]:
        await ScaleScenario.RunAsync(BenchArguments.Parse(rest));
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(VerifyBenchmarks).Assembly).Run(args);
        break;
}
