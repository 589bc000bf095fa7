using System.Globalization;

namespace Signet.Bench.Load;

/// <summary>CPU time of the calling thread, from /proc/thread-self/stat (Linux).</summary>
internal static class ThreadCpuTime
{
    public static TimeSpan Current()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        // USER_HZ is 100 on mainstream kernels, as for the server process.
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
