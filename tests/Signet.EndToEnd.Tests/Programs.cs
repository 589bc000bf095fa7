using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Signet.EndToEnd.Tests;

/// <summary>Where the built programs are, and running them as processes.</summary>
internal static class Programs
{
    public static string ServerDll { get; } = Metadata("ServerDll");
    public static string AgentDll { get; } = Metadata("AgentDll");
    public static string BenchDll { get; } = Metadata("BenchDll");

    /// <summary>The dotnet host running the tests (the SDK sets DOTNET_HOST_PATH), so the programs run on the same runtime.</summary>
    public static string DotnetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Metadata(string key)
    {
        var value = typeof(Programs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        var path = Path.GetFullPath(value);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{key} not built at {path}; build the test project first.", path);
    }

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    /// <summary>Runs <c>dotnet signet.dll</c> with a clean environment for the Signet variables.</summary>
    public static async Task<Result> RunAgentAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Programs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(AgentDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("SIGNET_KEYCHAIN");
        start.Environment.Remove("SIGNET_DEVICE_UDID");
        start.Environment.Remove("SIGNET_DEVICE_SERIAL");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"signet {string.Join(' ', arguments)} did not finish in 2 minutes.");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}

/// <summary>Collects a process's output lines for diagnostics.</summary>
internal sealed class OutputLog
{
    private readonly StringBuilder _text = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            _text.AppendLine(line);
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }
}
