using Signet.Server.Hosting;

namespace Signet.Server.Data;

/// <summary>The settings a command that runs instead of the server reads (appsettings.json, environment, the
/// command line's <c>--Signet:X=value</c>), and the data folder they name.</summary>
internal static class CommandConfiguration
{
    public static IConfiguration Build(IEnumerable<string> settings) => new ConfigurationBuilder()
        .SetBasePath(AppContext.BaseDirectory)
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddCommandLine([.. settings])
        .Build();

    public static HostingOptions Hosting(IConfiguration configuration) =>
        configuration.GetSection(HostingOptions.Section).Get<HostingOptions>() ?? new HostingOptions();

    public static DatabaseOptions Database(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();

    /// <summary>The data folder as the server would resolve it when started in the current folder.</summary>
    public static string DataDirectory(HostingOptions hosting) => Path.GetFullPath(hosting.DataDirectory, Directory.GetCurrentDirectory());

    /// <summary>The value after <paramref name="option"/>, and the arguments without both; null when it is missing.</summary>
    public static (string? Value, string[] Others) Take(string[] args, string option)
    {
        var index = Array.IndexOf(args, option);
        if (index < 0 || index + 1 >= args.Length || string.IsNullOrWhiteSpace(args[index + 1]) || args[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            return (null, args.Where(a => a != option).ToArray());
        }

        return (args[index + 1], args.Where((_, i) => i != index && i != index + 1).ToArray());
    }
}
