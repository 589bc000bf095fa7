using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Signet.Protocol.Wire;

namespace Signet.Agent.Inventory;

/// <summary>Pure parsers for what macOS tools print; fixtures test them on any OS.</summary>
internal static class MacParsers
{
    /// <summary><c>sw_vers</c>: "ProductName:\tmacOS" / "ProductVersion:\t14.4.1" lines.</summary>
    public static (string? Name, string? Version) ParseSwVers(string text)
    {
        string? name = null, version = null;
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var value = line[(colon + 1)..].Trim();
            switch (line[..colon].Trim())
            {
                case "ProductName": name = value; break;
                case "ProductVersion": version = value; break;
            }
        }

        return (name, version);
    }

    /// <summary><c>dscl . -list /Users UniqueID</c>: "name uid" lines; keeps root and accounts with uid ≥ 500 whose name
    /// does not start with an underscore (macOS's service accounts).</summary>
    public static List<LocalUserInfo> ParseDsclUsers(string text)
    {
        var users = new List<LocalUserInfo>();
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !int.TryParse(parts[^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var uid))
            {
                continue;
            }

            var name = parts[0];
            if (uid == 0 || (uid >= 500 && !name.StartsWith('_')))
            {
                users.Add(new LocalUserInfo(name, uid, uid == 0 ? "/var/root" : "/Users/" + name, null));
            }
        }

        return users;
    }

    /// <summary>An application bundle's Info.plist (XML form): its display name and CFBundleShortVersionString.</summary>
    public static ApplicationInfo? ParseInfoPlist(string xml, string fallbackName)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(xml, LoadOptions.None);
        }
        catch (XmlException)
        {
            return null;
        }

        var dict = document.Root?.Element("dict");
        if (dict is null)
        {
            return null;
        }

        string? Value(string key)
        {
            var keyElement = dict.Elements("key").FirstOrDefault(k => k.Value == key);
            return keyElement?.ElementsAfterSelf().FirstOrDefault() is { Name.LocalName: "string" } value ? value.Value : null;
        }

        var name = Value("CFBundleDisplayName") ?? Value("CFBundleName") ?? fallbackName;
        return new ApplicationInfo(name, Value("CFBundleShortVersionString") ?? Value("CFBundleVersion"), "bundle");
    }

    /// <summary>A numeric <c>sysctl -n</c> value.</summary>
    public static long? ParseSysctlNumber(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
