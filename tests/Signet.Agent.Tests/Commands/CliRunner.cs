using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using Signet.Agent.Commands;

namespace Signet.Agent.Tests.Commands;

/// <summary>Runs the real command tree in-process with captured output.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        var host = new AgentHost(name => environment?.GetValueOrDefault(name), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await AgentCli.RunAsync(AgentCli.Build(host), args, new InvocationConfiguration { Output = output, Error = error });
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
