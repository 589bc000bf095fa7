using Signet.Protocol.Wire;
using Signet.Protocol.Device;

namespace Signet.Server.Enrollment;

/// <summary>The device fields of an enrollment: a UDID of 1..64 of [A-Za-z0-9-], the rest ≤ 255 printable characters, and
/// an optional key protection.</summary>
internal static class DeviceInfoValidator
{
    public static Dictionary<string, string[]> Validate(DeviceInfo? device)
    {
        var errors = new Dictionary<string, string[]>();
        if (device is null)
        {
            errors["device"] = ["Required: {udid, serialNumber, hostname, model, osName, osVersion}."];
            return errors;
        }

        if (!DeviceUdids.IsWellFormed(device.Udid))
        {
            errors["device.udid"] = ["Must be 1 to 64 characters of A-Z, a-z, 0-9 and '-'."];
        }

        Check(errors, "device.serialNumber", device.SerialNumber);
        Check(errors, "device.hostname", device.Hostname);
        Check(errors, "device.model", device.Model);
        Check(errors, "device.osName", device.OsName);
        Check(errors, "device.osVersion", device.OsVersion);
        CheckKeyProtection(errors, "device.keyProtection", device.KeyProtection);
        return errors;
    }

    /// <summary>An optional <c>{kind: "file"|"pkcs11", token?}</c>; the token ≤ 255 printable characters.</summary>
    public static void CheckKeyProtection(Dictionary<string, string[]> errors, string field, KeyProtection? protection)
    {
        if (protection is null)
        {
            return;
        }

        if (protection.Kind is not (KeyProtection.File or KeyProtection.Pkcs11))
        {
            errors[field + ".kind"] = [$"Must be \"{KeyProtection.File}\" or \"{KeyProtection.Pkcs11}\"."];
        }

        Check(errors, field + ".token", protection.Token);
    }

    private static void Check(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (value is not null && (value.Length > 255 || value.Any(char.IsControl)))
        {
            errors[field] = ["Must be at most 255 printable characters."];
        }
    }
}
