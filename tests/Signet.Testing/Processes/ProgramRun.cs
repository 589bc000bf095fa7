using System.Diagnostics;

namespace Signet.Testing.Processes;

/// <summary>What a program run to its end printed, and how it exited.</summary>
public sealed record ProgramResult(int ExitCode, string Output, string Error)
{
    /// <summary>Standard output then standard error.</summary>
    public string AllOutput => Output + Error;

    /// <summary>The exit code and <see cref="AllOutput"/>, for a caller that reads the two streams as one.</summary>
    public void Deconstruct(out int exitCode, out string allOutput)
    {
        exitCode = ExitCode;
        allOutput = AllOutput;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs a program (openssl, a token tool, the server or agent) to its end, as a script would.</summary>
public static class ProgramRun
{
    /// <summary>The dotnet host running this process (the SDK sets DOTNET_HOST_PATH under dotnet test), so programs run
    /// on the same runtime; plain <c>dotnet</c> elsewhere.</summary>
    public static string DotnetHost { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <paramref name="program"/> with an empty, closed standard input (no terminal, as under launchd,
    /// systemd or a script); <paramref name="environment"/> adds variables, and removes those whose value is null.
    /// Killed (and a <see cref="TimeoutException"/>) after <paramref name="timeout"/>, two minutes by default.</summary>
    public static Task<ProgramResult> RunAsync(string program, IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string?>>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null) =>
        RunAsync(StartInfo(program, arguments, environment, workingDirectory), timeout);

    /// <summary>Runs a prepared start to its end (see the other overload).</summary>
    public static async Task<ProgramResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        start.RedirectStandardInput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish in {limit}:\n{await output}\n{await error}");
        }

        return new ProgramResult(process.ExitCode, await output, await error);
    }

    /// <summary>The same, throwing unless the program exits 0.</summary>
    public static async Task<ProgramResult> RunCheckedAsync(string program, IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var result = await RunAsync(program, arguments, environment);
        return result.ExitCode == 0
            ? result
            : throw new KitExpectationException($"{program} {string.Join(' ', arguments)} failed: {result}");
    }

    /// <summary>The same without a caller that can wait (a benchmark's set-up).</summary>
    public static ProgramResult RunChecked(string program, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null) =>
        RunCheckedAsync(program, arguments, environment).GetAwaiter().GetResult();

    /// <summary>How a program is started with its output redirected.</summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }
}
