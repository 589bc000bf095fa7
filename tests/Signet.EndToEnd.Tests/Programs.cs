using System.Reflection;

namespace Signet.EndToEnd.Tests;

/// <summary>Where the built programs are, and running them as processes.</summary>
internal static class Programs
{
    public static string ServerDll { get; } = Metadata("ServerDll");
    public static string AgentDll { get; } = Metadata("AgentDll");
    public static string AgentProject { get; } = Metadata("AgentProject");
    public static string BenchDll { get; } = Metadata("BenchDll");

    /// <summary>The dotnet host running the tests, so the programs run on the same runtime.</summary>
    public static string DotnetHost => ProgramRun.DotnetHost;

    private static string Metadata(string key)
    {
        var value = typeof(Programs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        var path = Path.GetFullPath(value);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{key} not built at {path}; build the test project first.", path);
    }

    /// <summary>Runs <c>dotnet signet.dll</c> with a clean environment for the Signet variables.</summary>
    public static Task<ProgramResult> RunAgentAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        RunAsync(DotnetHost, [AgentDll, .. arguments], environment, TimeSpan.FromMinutes(2));

    /// <summary>Runs <c>dotnet signet-server.dll</c> in <paramref name="workingDirectory"/> until it exits on its own
    /// (a command, or a start it refuses).</summary>
    public static Task<ProgramResult> RunServerAsync(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) =>
        ServerProcess.RunToExitAsync(arguments, workingDirectory, environment, ServerDll);

    /// <summary>Runs a program without the Signet variables of this process (each test names its own); kills it after
    /// <paramref name="timeout"/>.</summary>
    public static Task<ProgramResult> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null, string? workingDirectory = null) =>
        ProgramRun.RunAsync(program, arguments,
            [.. AgentVariables.Select(name => new KeyValuePair<string, string?>(name, null)),
                .. (environment ?? new Dictionary<string, string>()).Select(e => new KeyValuePair<string, string?>(e.Key, e.Value))],
            timeout, workingDirectory);

    private static readonly string[] AgentVariables = ["SIGNET_KEYCHAIN", "SIGNET_DEVICE_UDID", "SIGNET_DEVICE_SERIAL", "SIGNET_PKCS11_PIN"];
}
