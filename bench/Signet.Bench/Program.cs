using BenchmarkDotNet.Running;
using Signet.Bench;

// `verify`: the device-signature verification benchmark; anything else goes to BenchmarkSwitcher
// (e.g. `--filter *`), where later scenarios appear as they are added.
if (args is ["verify", .. var rest])
{
    BenchmarkRunner.Run<VerifyBenchmarks>(args: rest);
}
else
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
