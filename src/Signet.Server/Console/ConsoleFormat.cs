using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace Signet.Server.WebConsole;

/// <summary>How the console writes instants, outcomes and certificate facts, the same on every page.</summary>
internal static class ConsoleFormat
{
    public static string Time(DateTimeOffset? value) =>
        value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never";

    /// <summary>ISO-8601 for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A signature outcome in words; the problem slug stays visible because the docs and logs use it.</summary>
    public static string Outcome(string? outcome) => outcome switch
    {
        null or "never-signed" => "never signed",
        "valid" => "valid",
        _ => outcome,
    };

    /// <summary>E.g. "RSA 2048 bits" or "ECDSA P-256".</summary>
    public static string KeyAlgorithm(X509Certificate2 certificate)
    {
        using (var rsa = certificate.GetRSAPublicKey())
        {
            if (rsa is not null)
            {
                return $"RSA {rsa.KeySize} bits";
            }
        }

        using var ec = certificate.GetECDsaPublicKey();
        return ec is null ? certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value ?? "unknown" : $"ECDSA P-{ec.KeySize}";
    }

    /// <summary>An interval in words: "15 minutes", "1 hour 30 minutes", "45 seconds".</summary>
    public static string Interval(int seconds)
    {
        var span = TimeSpan.FromSeconds(seconds);
        var parts = new List<string>();
        void Add(int value, string unit)
        {
            if (value > 0)
            {
                parts.Add($"{value} {unit}{(value == 1 ? "" : "s")}");
            }
        }

        Add((int)span.TotalDays, "day");
        Add(span.Hours, "hour");
        Add(span.Minutes, "minute");
        Add(span.Seconds, "second");
        return parts.Count == 0 ? "0 seconds" : string.Join(' ', parts);
    }

    /// <summary>A size in binary units, e.g. "36.0 GiB"; "unknown" when absent.</summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "unknown";
        }

        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var size = (double)value;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }

        return unit == 0 ? $"{value} bytes" : size.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A stored SHA-256 thumbprint in the project's one format (<see cref="Protocol.Device.CertificateFingerprints"/>);
    /// anything that is not one is shown as stored.</summary>
    public static string Fingerprint(string hex) => Protocol.Device.CertificateFingerprints.Normalize(hex) ?? hex;

    /// <summary>"Certificate 1A was revoked" or "Certificates 1A, 2B were revoked".</summary>
    public static string Revoked(IReadOnlyCollection<string> serialNumbers) => serialNumbers.Count == 1
        ? $"Certificate {serialNumbers.First()} was revoked"
        : $"Certificates {string.Join(", ", serialNumbers)} were revoked";

    /// <summary>A fingerprint (<c>5D:F5:…</c>) as HTML that may wrap after a colon, never inside a pair.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Wrappable(string text) => new Microsoft.AspNetCore.Html.HtmlString(
        string.Join(":<wbr>", text.Split(':').Select(System.Net.WebUtility.HtmlEncode)));

    /// <summary>How the agent said it holds a key, in words that do not claim more than a declaration proves.</summary>
    public static string KeyProtection(Protocol.Wire.KeyProtection? protection) => protection switch
    {
        null => "not declared (agent older than key protection)",
        { Kind: Protocol.Wire.KeyProtection.Pkcs11, Token: { Length: > 0 } token } => $"hardware token ({token}), as declared by the agent",
        { Kind: Protocol.Wire.KeyProtection.Pkcs11 } => "hardware token, as declared by the agent",
        _ => "file on the computer (copyable by its administrators), as declared by the agent",
    };
}
