namespace Signet.Fuzz;

/// <summary>Runs inputs through a target once each, without afl-fuzz: to check the seeds before a run, and to
/// reproduce a crash afl-fuzz found (<c>signet-fuzz TARGET --replay findings/default/crashes</c>).</summary>
internal static class Replay
{
    public static int Run(FuzzTarget target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p)
                ? Directory.EnumerateFiles(p).Where(f => !Path.GetFileName(f).StartsWith("README", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : (IEnumerable<string>)[p])
            .ToList();
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"{target.Name}: no input files in {string.Join(", ", paths)}");
            return 1;
        }

        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // any exception is the finding to report
            catch (Exception e)
#pragma warning restore CA1031
            {
                failed++;
                Console.Error.WriteLine($"{target.Name}: {file}: {e}");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Count - failed} of {files.Count} inputs ran without an exception");
        return failed == 0 ? 0 : 1;
    }
}
