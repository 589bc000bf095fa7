using System.Text.RegularExpressions;

namespace Signet.Agent.DeviceIdentity;

/// <summary>Pure parsers for what the OS reports about the hardware, kept apart from the reading so fixtures test them.</summary>
internal static partial class IdentityParsers
{
    /// <summary>Reads <c>ioreg -rd1 -c IOPlatformExpertDevice</c> output: lines like
    /// <c>"IOPlatformUUID" = "…"</c> and <c>"model" = &lt;"MacBookPro18,3"&gt;</c>.</summary>
    public static ComputerIdentity? ParseIoreg(string text)
    {
        string? uuid = null, serial = null, model = null;
        foreach (Match match in IoregProperty().Matches(text))
        {
            var value = match.Groups["value"].Value;
            switch (match.Groups["name"].Value)
            {
                case "IOPlatformUUID": uuid ??= value; break;
                case "IOPlatformSerialNumber": serial ??= value; break;
                case "model": model ??= value; break;
            }
        }

        return string.IsNullOrWhiteSpace(uuid) ? null : new ComputerIdentity(uuid.Trim(), Blank(serial), Blank(model));
    }

    /// <summary>A DMI <c>product_uuid</c> as the UDID (lowercase); null when absent or a placeholder.</summary>
    public static string? ParseDmiUuid(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || !Guid.TryParse(value, out var guid))
        {
            return null;
        }

        // Firmware that never set a UUID reports all zeros or all ones; neither identifies a computer.
        return guid == Guid.Empty || guid == Guid.AllBitsSet ? null : guid.ToString("D");
    }

    /// <summary>A systemd <c>/etc/machine-id</c> (32 hex digits) formatted as a UUID; null when not one.</summary>
    public static string? ParseMachineId(string? text)
    {
        var value = text?.Trim();
        if (value is not { Length: 32 } || !Guid.TryParseExact(value, "N", out var guid) || guid == Guid.Empty)
        {
            return null;
        }

        return guid.ToString("D");
    }

    /// <summary>A DMI text field (serial, product name); null for empty and for the usual firmware placeholders.</summary>
    public static string? ParseDmiText(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string[] placeholders = ["To Be Filled By O.E.M.", "To be filled by O.E.M.", "Default string", "System Serial Number", "Not Specified", "None", "0"];
        return placeholders.Contains(value, StringComparer.OrdinalIgnoreCase) ? null : value;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("""^\s*\|?\s*"(?<name>[A-Za-z0-9-]+)"\s*=\s*<?"(?<value>[^"]*)">?""", RegexOptions.Multiline)]
    private static partial Regex IoregProperty();
}
