using System.Globalization;

namespace Signet.Bench.Load;

/// <summary>Options shared by the load scenarios: <c>--quick</c>, <c>--output DIR</c>, <c>--database sqlite|postgres</c>,
/// <c>--ca-key ALGORITHM</c> and a few sizes.</summary>
internal sealed record BenchArguments(bool Quick, string OutputDirectory, IReadOnlyDictionary<string, int> Numbers,
    BenchDatabaseKind Database = BenchDatabaseKind.Sqlite, string? CaKey = null)
{
    /// <summary>CA keys the scenarios can ask the server for (<c>Signet:Ca:KeyAlgorithm</c>).</summary>
    public static readonly string[] CaKeys = ["RSA-2048", "RSA-3072", "RSA-4096", "ECDSA-P256", "ECDSA-P384"];

    public static BenchArguments Parse(IReadOnlyList<string> args)
    {
        var quick = false;
        var output = Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "bench", "results");
        var numbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var database = BenchDatabaseKind.Sqlite;
        string? caKey = null;
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
                case "--database" when i + 1 < args.Count:
                    database = args[++i].ToLowerInvariant() switch
                    {
                        "sqlite" => BenchDatabaseKind.Sqlite,
                        "postgres" or "postgresql" => BenchDatabaseKind.PostgreSql,
                        var other => throw new ArgumentException($"Unknown database '{other}'. Use --database sqlite or --database postgres."),
                    };
                    break;
                case "--ca-key" when i + 1 < args.Count:
                    caKey = args[++i].ToUpperInvariant();
                    if (!CaKeys.Contains(caKey))
                    {
                        throw new ArgumentException($"Unknown CA key '{args[i]}'. Use one of {string.Join(", ", CaKeys)}.");
                    }

                    break;
                case var name when name.StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Count
                    && int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0:
                    numbers[name[2..]] = value;
                    i++;
                    break;
                default:
                    throw new ArgumentException(
                        $"Unknown argument '{args[i]}'. Use --quick, --output DIR, --database sqlite|postgres, --ca-key ALGORITHM, or --<size> N.");
            }
        }

        return new BenchArguments(quick, output, numbers, database, caKey);
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
