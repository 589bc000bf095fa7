using System.Globalization;

namespace Signet.Bench.Load;

/// <summary>Options shared by the load scenarios: <c>--quick</c>, <c>--output DIR</c> and a few sizes.</summary>
internal sealed record BenchArguments(bool Quick, string OutputDirectory, IReadOnlyDictionary<string, int> Numbers)
{
    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        var output = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "results");
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--output" when i + 1 < args.Count:
                    output = Path.GetFullPath(args[++i]);
                    break;
                case var name when name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count
                    && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0:
                    numbers[name[2..]] = value;
                    i++;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Use --quick, --output DIR, or --<size> N.");
            }
        }

        return new BenchArguments(quick, output, numbers);
    }

    /// <summary>The number given as <c>--name N</c>, else the quick or full default.</summary>
    public int Get(string name, int full, int quick) => Numbers.TryGetValue(name, out var value) ? value : Quick ? quick : full;

    private static string? RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Signet.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName;
    }
}

/// <summary>A temporary data folder, deleted afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("signet-bench-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a server still closing its files; the folder is in /tmp
        }
    }
}
