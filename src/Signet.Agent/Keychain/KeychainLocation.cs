namespace Signet.Agent.Keychain;

/// <summary>Which folder holds the keychain: <c>--keychain</c>, else <c>SIGNET_KEYCHAIN</c>, else the OS's system
/// data folder.</summary>
internal static class KeychainLocation
{
    public const string EnvironmentVariable = "SIGNET_KEYCHAIN";

    public static string Resolve(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return Path.GetFullPath(option);
        }

        var fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Default;
    }

    public static string Default =>
        OperatingSystem.IsMacOS() ? "/Library/Application Support/Signet"
        : OperatingSystem.IsWindows() ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "Signet")
        : "/var/lib/signet";
}
