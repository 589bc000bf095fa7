using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace Signet.EndToEnd.Tests;

/// <summary>Where the built programs are, and running them as processes.</summary>
internal static class Programs
{
    public static string ServerDll { get; } = Metadata("ServerDll");
    public static string AgentDll { get; } = Metadata("AgentDll");
    public static string AgentProject { get; } = Metadata("AgentProject");
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
    public static Task<Result> RunAgentAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(DotnetHost, [AgentDll, .. arguments], environment, TimeSpan.FromMinutes(2));

    /// <summary>Runs <c>dotnet signet-server.dll</c> in <paramref name="workingDirectory"/> until it exits on its own
    /// (a command, or a start it refuses).</summary>
    public static Task<Result> RunServerAsync(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(DotnetHost, [ServerDll, .. arguments], new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        }, TimeSpan.FromMinutes(2), workingDirectory);

    /// <summary>Runs a program with a clean environment for the Signet variables; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // An empty, closed standard input: no terminal, as under launchd, systemd or a script.
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("SIGNET_KEYCHAIN");
        start.Environment.Remove("SIGNET_DEVICE_UDID");
        start.Environment.Remove("SIGNET_DEVICE_SERIAL");
        start.Environment.Remove("SIGNET_PKCS11_PIN");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish in {timeout ?? TimeSpan.FromMinutes(2)}.");
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
