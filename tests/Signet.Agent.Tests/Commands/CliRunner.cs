using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using Signet.Agent.Commands;

namespace Signet.Agent.Tests.Commands;

/// <summary>Runs the real command tree in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public static Task<Result> RunAsync(string[] args, Dictionary<string, string>? environment = null) =>
        RunAsync(args, environment, new FakeTimeProvider(DateTimeOffset.UtcNow));

    public static Task<Result> RunAsync(string[] args, Dictionary<string, string>? environment, TimeProvider time, CancellationToken cancellationToken = default) =>
        RunAsync(args, new AgentHost(name => environment?.GetValueOrDefault(name), time), cancellationToken);

    /// <summary>Runs as if at a terminal where the person types <paramref name="typed"/>.</summary>
    public static Task<Result> RunAtTerminalAsync(string[] args, Dictionary<string, string>? environment, string typed) =>
        RunAsync(args, new AgentHost(name => environment?.GetValueOrDefault(name), new FakeTimeProvider(DateTimeOffset.UtcNow))
        {
            Input = new StringReader(typed),
            InputIsTerminal = true,
        });

    private static async Task<Result> RunAsync(string[] args, AgentHost host, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AgentCli.RunAsync(AgentCli.Build(host), args, new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return new Result(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>Runs on a <see cref="JumpingClock"/>: every wait the agent measures with its clock (polling a held
    /// enrollment, the daemon's interval) ends at once, and the clock says that much time has passed.</summary>
    public static Task<Result> RunOnJumpingClockAsync(string[] args, Dictionary<string, string>? environment, CancellationToken cancellationToken = default) =>
        RunAsync(args, environment, new JumpingClock(DateTimeOffset.UtcNow), cancellationToken);
}
