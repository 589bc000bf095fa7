using System.Diagnostics;

namespace Signet.Agent.DeviceIdentity;

/// <summary>Reads the computer's identity from the OS, with <c>SIGNET_DEVICE_UDID</c> / <c>SIGNET_DEVICE_SERIAL</c>
/// overriding it (virtual machines, simulating many computers on one host).</summary>
internal sealed class DeviceIdentityReader(Func<string, string?> environment, Func<string, string?> readFile, Func<string, string[], string?> run, bool isMacOS)
{
    public const string UdidVariable = "SIGNET_DEVICE_UDID";
    public const string SerialVariable = "SIGNET_DEVICE_SERIAL";

    /// <summary>Reads the real OS.</summary>
    public static DeviceIdentityReader ForThisComputer(Func<string, string?> environment) => new(environment, TryReadFile, TryRun, OperatingSystem.IsMacOS());

    /// <summary>The identity; null when the OS does not reveal a hardware UUID and none is configured.</summary>
    public ComputerIdentity? Read()
    {
        var os = isMacOS ? ReadMac() : ReadLinux();
        var udid = Override(UdidVariable) ?? os?.Udid;
        if (udid is null)
        {
            return null;
        }

        return new ComputerIdentity(udid, Override(SerialVariable) ?? os?.SerialNumber, os?.Model);
    }

    private ComputerIdentity? ReadMac()
    {
        var output = run("ioreg", ["-rd1", "-c", "IOPlatformExpertDevice"]);
        return output is null ? null : IdentityParsers.ParseIoreg(output);
    }

    private ComputerIdentity? ReadLinux()
    {
        // product_uuid is the firmware's hardware UUID (root only); machine-id is per installation but always there.
        var udid = IdentityParsers.ParseDmiUuid(readFile("/sys/class/dmi/id/product_uuid"))
            ?? IdentityParsers.ParseMachineId(readFile("/etc/machine-id"));
        var serial = IdentityParsers.ParseDmiText(readFile("/sys/class/dmi/id/product_serial"));
        var model = IdentityParsers.ParseDmiText(readFile("/sys/class/dmi/id/product_name"));
        return udid is null ? null : new ComputerIdentity(udid, serial, model);
    }

    private string? Override(string name)
    {
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    internal static string? TryReadFile(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Runs a tool and returns its standard output; null when it cannot run or fails.</summary>
    internal static string? TryRun(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var errorTask = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = errorTask.Result;
            return process.ExitCode == 0 ? output : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
