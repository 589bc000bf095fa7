using System.Globalization;
using Signet.Protocol.Wire;

namespace Signet.Agent.Inventory;

/// <summary>Pure parsers for the Linux files the inventory reads. Each tolerates missing fields and odd lines.</summary>
internal static class LinuxParsers
{
    /// <summary>/etc/os-release: KEY=value lines, values optionally quoted.</summary>
    public static IReadOnlyDictionary<string, string> ParseOsRelease(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] == '#' || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
            }

            values[line[..equals]] = value;
        }

        return values;
    }

    /// <summary>The OS name and version from os-release values (NAME and VERSION_ID, falling back to PRETTY_NAME/VERSION).</summary>
    public static (string? Name, string? Version) OsNameAndVersion(IReadOnlyDictionary<string, string> osRelease)
    {
        var name = osRelease.GetValueOrDefault("NAME") ?? osRelease.GetValueOrDefault("PRETTY_NAME");
        var version = osRelease.GetValueOrDefault("VERSION_ID") ?? osRelease.GetValueOrDefault("VERSION");
        return (name, version);
    }

    /// <summary>/proc/meminfo MemTotal in bytes.</summary>
    public static long? ParseMemTotal(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                var unit = parts.Length > 1 ? parts[1] : "B";
                return unit.ToUpperInvariant() switch
                {
                    "KB" => amount * 1024,
                    "MB" => amount * 1024 * 1024,
                    "GB" => amount * 1024 * 1024 * 1024,
                    _ => amount,
                };
            }
        }

        return null;
    }

    /// <summary>/proc/cpuinfo: the CPU model and the number of logical processors.</summary>
    public static (string? Model, int? Cores) ParseCpuInfo(string text)
    {
        string? model = null;
        var processors = 0;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor": processors++; break;
                // x86 says "model name"; many ARM kernels only say "Hardware" or "Model".
                case "model name": model ??= value; break;
                case "Hardware" or "Model" or "cpu model": model ??= value.Length > 0 ? value : null; break;
            }
        }

        return (string.IsNullOrEmpty(model) ? null : model, processors > 0 ? processors : null);
    }

    /// <summary>/var/lib/dpkg/status: installed packages (Status "install ok installed") with versions.</summary>
    public static List<ApplicationInfo> ParseDpkgStatus(string text)
    {
        var applications = new List<ApplicationInfo>();
        string? package = null, version = null, status = null;

        void Flush()
        {
            if (package is not null && status is not null && status.EndsWith(" installed", StringComparison.Ordinal))
            {
                applications.Add(new ApplicationInfo(package, version, "dpkg"));
            }

            package = version = status = null;
        }

        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0)
            {
                Flush();
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                continue; // continuation of a multi-line field such as Description
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon])
            {
                case "Package": package = value; break;
                case "Version": version = value; break;
                case "Status": status = value; break;
            }
        }

        Flush();
        return applications;
    }

    /// <summary>/etc/passwd: root and regular accounts (uid ≥ 1000, not nobody).</summary>
    public static List<LocalUserInfo> ParsePasswd(string text)
    {
        const int Nobody = 65534;
        var users = new List<LocalUserInfo>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split(':');
            if (fields.Length < 7 || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
            {
                continue;
            }

            if (uid == 0 || (uid >= 1000 && uid != Nobody))
            {
                users.Add(new LocalUserInfo(fields[0], uid, fields[5], fields[6]));
            }
        }

        return users;
    }
}
