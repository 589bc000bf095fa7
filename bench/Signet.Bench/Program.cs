using BenchmarkDotNet.Running;
using Signet.Bench;

// `verify`: the device-signature verification benchmark (BenchmarkDotNet).
// `verify-interleaved`: the same two cases in alternating batches, for a steadier ratio on a busy machine.
// Anything else goes to BenchmarkSwitcher (e.g. `--filter *`), where later scenarios appear as they are added.
switch (args)
{
    case ["verify", .. var rest]:
        BenchmarkRunner.Run<VerifyBenchmarks>(args: rest);
        break;
    case ["verify-interleaved", ..]:
        InterleavedVerify.Run();
        break;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        break;
}
