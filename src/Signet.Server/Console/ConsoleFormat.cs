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

    /// <summary>How the agent said it holds a key, in words that do not claim more than a declaration proves.</summary>
    public static string KeyProtection(Protocol.Wire.KeyProtection? protection) => protection switch
    {
        null => "not declared (agent older than key protection)",
        { Kind: Protocol.Wire.KeyProtection.Pkcs11, Token: { Length: > 0 } token } => $"hardware token ({token}), as declared by the agent",
        { Kind: Protocol.Wire.KeyProtection.Pkcs11 } => "hardware token, as declared by the agent",
        _ => "file on the computer (copyable by its administrators), as declared by the agent",
    };

    /// <summary>Hex split in pairs so long fingerprints wrap at readable points.</summary>
    public static string Pairs(string hex) =>
        string.Join(':', Enumerable.Range(0, hex.Length / 2).Select(i => hex.Substring(i * 2, 2)));
}
