using Signet.Agent.Keychain.Files;

namespace Signet.Agent.Keychain.Tokens;

/// <summary>The token's user PIN: from <c>SIGNET_PKCS11_PIN</c>, else from the PIN file named at enrollment, which only
/// its owner (root for the system keychain) may read. Never from the command line, where other users see it.</summary>
internal static class TokenPin
{
    public const string EnvironmentVariable = "SIGNET_PKCS11_PIN";

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The PIN; throws <see cref="KeychainException"/> when there is none or the file is not private.</summary>
    public static string Read(TokenSettings settings, Func<string, string?> environment)
    {
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        if (settings.PinFile is not { } file)
        {
            throw new KeychainException(
                $"No PIN for PKCS#11 token '{settings.Token}': set {EnvironmentVariable}, or enroll with --pkcs11-pin-file naming a file only root can read.");
        }

        CheckPrivate(file);
        string pin;
        try
        {
            pin = File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeychainException($"Cannot read the PIN file {file} of PKCS#11 token '{settings.Token}' ({e.Message}); set {EnvironmentVariable} or restore the file.", e);
        }

        return pin.Length > 0 ? pin : throw new KeychainException($"The PIN file {file} of PKCS#11 token '{settings.Token}' is empty; write the token's user PIN into it.");
    }

    /// <summary>Refuses a PIN file that group or others may read or write: the PIN unlocks the device key.</summary>
    public static void CheckPrivate(string file)
    {
        if (!File.Exists(file))
        {
            throw new KeychainException($"The PIN file {file} does not exist; write the token's user PIN into it (mode 0600) or set {EnvironmentVariable}.");
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(file);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new KeychainException(
                $"The PIN file {file} is open to other users (mode {KeychainPermissions.Octal(mode)}); refusing to use it. Run `chmod 600 {file}`.");
        }
    }
}
