using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Text.Json;
using Signet.Agent.DeviceIdentity;
using Signet.Protocol.Wire;

namespace Signet.Agent.Inventory;

/// <summary>Collects the inventory of this computer (Linux or macOS). Every source is optional: what cannot be read is
/// left null or empty rather than failing the whole collection.</summary>
internal sealed class InventoryCollector(TimeProvider timeProvider, ComputerIdentity? identity)
{
    /// <summary>The serialized document stays under this size; applications beyond it are dropped.</summary>
    public const int MaximumBytes = 512 * 1024;

    public InventoryDocument Collect()
    {
        var mac = OperatingSystem.IsMacOS();
        var document = new InventoryDocument
        {
            CollectedAt = timeProvider.GetUtcNow(),
            OperatingSystem = mac ? MacOperatingSystem() : LinuxOperatingSystem(),
            Hardware = mac ? MacHardware() : LinuxHardware(),
            Disks = Disks(),
            NetworkInterfaces = Interfaces(),
            LocalUsers = mac ? MacUsers() : LinuxUsers(),
            Applications = mac ? MacApplications() : LinuxApplications(),
        };
        return Cap(document, MaximumBytes);
    }

    /// <summary>Just the operating system (for the enrollment's device description).</summary>
    public static OperatingSystemInfo OperatingSystemOnly() => OperatingSystem.IsMacOS() ? MacOperatingSystem() : LinuxOperatingSystem();

    /// <summary>Drops applications (the only list that grows without bound) until the document fits.</summary>
    internal static InventoryDocument Cap(InventoryDocument document, int maximumBytes)
    {
        if (Size(document) <= maximumBytes)
        {
            return document;
        }

        var withoutApplications = document with { Applications = [], Truncated = true };
        var budget = maximumBytes - Size(withoutApplications);
        var kept = new List<ApplicationInfo>();
        foreach (var application in document.Applications)
        {
            // +1 for the separating comma; close enough to keep the result under the cap.
            var cost = JsonSerializer.SerializeToUtf8Bytes(application, SignetJson.Options).Length + 1;
            if (cost > budget)
            {
                break;
            }

            budget -= cost;
            kept.Add(application);
        }

        return withoutApplications with { Applications = kept };
    }

    internal static int Size(InventoryDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, SignetJson.Options).Length;

    private static OperatingSystemInfo LinuxOperatingSystem()
    {
        var osRelease = LinuxParsers.ParseOsRelease(Read("/etc/os-release") ?? Read("/usr/lib/os-release") ?? "");
        var (name, version) = LinuxParsers.OsNameAndVersion(osRelease);
        var kernel = Read("/proc/sys/kernel/osrelease")?.Trim();
        return new OperatingSystemInfo(name ?? "Linux", version, kernel ?? Environment.OSVersion.Version.ToString(), Architecture());
    }

    private HardwareInfo LinuxHardware()
    {
        var (cpu, cores) = LinuxParsers.ParseCpuInfo(Read("/proc/cpuinfo") ?? "");
        var memory = LinuxParsers.ParseMemTotal(Read("/proc/meminfo") ?? "");
        return new HardwareInfo(identity?.Model, identity?.SerialNumber, cpu, cores ?? Environment.ProcessorCount, memory);
    }

    private static List<LocalUserInfo> LinuxUsers() => LinuxParsers.ParsePasswd(Read("/etc/passwd") ?? "");

    private static List<ApplicationInfo> LinuxApplications()
    {
        var dpkg = Read("/var/lib/dpkg/status");
        if (dpkg is not null)
        {
            return LinuxParsers.ParseDpkgStatus(dpkg);
        }

        var rpm = DeviceIdentityReader.TryRun("rpm", ["-qa", "--queryformat", "%{NAME}\t%{VERSION}-%{RELEASE}\n"]);
        if (rpm is null)
        {
            return [];
        }

        return [.. rpm.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(parts => new ApplicationInfo(parts[0], parts.Length > 1 ? parts[1] : null, "rpm"))];
    }

    private static OperatingSystemInfo MacOperatingSystem()
    {
        var (name, version) = MacParsers.ParseSwVers(DeviceIdentityReader.TryRun("sw_vers", []) ?? "");
        var kernel = DeviceIdentityReader.TryRun("uname", ["-r"])?.Trim();
        return new OperatingSystemInfo(name ?? "macOS", version, kernel, Architecture());
    }

    private HardwareInfo MacHardware()
    {
        var cpu = DeviceIdentityReader.TryRun("sysctl", ["-n", "machdep.cpu.brand_string"])?.Trim();
        var memory = MacParsers.ParseSysctlNumber(DeviceIdentityReader.TryRun("sysctl", ["-n", "hw.memsize"]));
        var model = identity?.Model ?? DeviceIdentityReader.TryRun("sysctl", ["-n", "hw.model"])?.Trim();
        return new HardwareInfo(model, identity?.SerialNumber, string.IsNullOrEmpty(cpu) ? null : cpu, Environment.ProcessorCount, memory);
    }

    private static List<LocalUserInfo> MacUsers() =>
        MacParsers.ParseDsclUsers(DeviceIdentityReader.TryRun("dscl", [".", "-list", "/Users", "UniqueID"]) ?? "");

    private static List<ApplicationInfo> MacApplications()
    {
        var applications = new List<ApplicationInfo>();
        IEnumerable<string> bundles;
        try
        {
            bundles = Directory.EnumerateDirectories("/Applications", "*.app").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return applications;
        }

        foreach (var bundle in bundles.Order(StringComparer.Ordinal))
        {
            var plist = Path.Combine(bundle, "Contents", "Info.plist");
            var text = Read(plist);
            if (text is null)
            {
                continue;
            }

            // Many bundles ship a binary plist; plutil turns it into XML without us parsing bplist00.
            if (text.StartsWith("bplist", StringComparison.Ordinal))
            {
                text = DeviceIdentityReader.TryRun("plutil", ["-convert", "xml1", "-o", "-", plist]);
            }

            var application = text is null ? null : MacParsers.ParseInfoPlist(text, Path.GetFileNameWithoutExtension(bundle));
            if (application is not null)
            {
                applications.Add(application);
            }
        }

        return applications;
    }

    private static List<DiskInfo> Disks()
    {
        var disks = new List<DiskInfo>();
        DriveInfo[] drives;
        try
        {
            drives = DriveInfo.GetDrives();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return disks;
        }

        foreach (var drive in drives)
        {
            try
            {
                // Pseudo file systems (proc, sysfs, tmpfs, overlay layers) are not disks an administrator asks about.
                if (!drive.IsReady || drive.DriveType is not (DriveType.Fixed or DriveType.Removable) || drive.TotalSize == 0)
                {
                    continue;
                }

                disks.Add(new DiskInfo(drive.Name, drive.RootDirectory.FullName, drive.DriveFormat, drive.TotalSize, drive.AvailableFreeSpace));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A drive that vanished or refuses us is left out.
            }
        }

        return disks;
    }

    private static List<NetworkInterfaceInfo> Interfaces()
    {
        var interfaces = new List<NetworkInterfaceInfo>();
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return interfaces;
        }

        foreach (var nic in all)
        {
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            try
            {
                var mac = nic.GetPhysicalAddress().GetAddressBytes();
                var addresses = nic.GetIPProperties().UnicastAddresses.Select(a => a.Address.ToString()).ToList();
                interfaces.Add(new NetworkInterfaceInfo(
                    nic.Name,
                    mac.Length == 0 ? null : string.Join(':', mac.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture))),
                    addresses));
            }
            catch (NetworkInformationException)
            {
                // An interface that disappeared while being read is left out.
            }
        }

        return interfaces;
    }

    private static string Architecture() => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static string? Read(string path) => DeviceIdentityReader.TryReadFile(path);
}
