using System.Globalization;

namespace Signet.Bench.Load;

/// <summary>What a server process has cost so far, read from /proc, for the figures.</summary>
internal static class ServerProcessCost
{
    /// <summary>User + system CPU time the server has used so far.</summary>
    public static TimeSpan CpuTime(this ServerProcess server) => CpuTime(server.ProcessId);

    /// <summary>User + system CPU time any process has used so far.</summary>
    public static TimeSpan CpuTime(int processId) => StatTime(processId, 11) + StatTime(processId, 12);

    /// <summary>CPU time in user mode so far.</summary>
    public static TimeSpan UserTime(this ServerProcess server) => StatTime(server.ProcessId, 11);

    /// <summary>CPU time in the kernel so far (system calls, including the file system's work for fsync).</summary>
    public static TimeSpan SystemTime(this ServerProcess server) => StatTime(server.ProcessId, 12);

    private static TimeSpan StatTime(int processId, int field)
    {
        // /proc/<pid>/stat fields 14 and 15 (utime, stime) in clock ticks; the command name may hold spaces, so
        // count from the closing parenthesis.
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds(long.Parse(fields[field], CultureInfo.InvariantCulture) / (double)ClockTicksPerSecond);
    }

    /// <summary>Peak resident set size (VmHWM) in bytes.</summary>
    public static long PeakResidentBytes(this ServerProcess server)
    {
        foreach (var line in File.ReadLines($"/proc/{server.ProcessId}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    // Linux reports /proc times in USER_HZ, which is 100 on every mainstream kernel configuration.
    private const int ClockTicksPerSecond = 100;
}
