using System.Text.RegularExpressions;

namespace Signet.Protocol.Device;

/// <summary>What the server accepts as a computer's UDID (<c>Signet-Device</c>, the enrollment's <c>device.udid</c>):
/// 1 to 64 ASCII letters, digits and hyphens, as a hardware UUID or a machine id is written.</summary>
public static partial class DeviceUdids
{
    public static bool IsWellFormed(string? udid) => udid is not null && Pattern().IsMatch(udid);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex Pattern();
}
