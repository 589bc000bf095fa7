namespace Signet.Agent.Keychain.Files;

/// <summary>Creates the keychain folder private to its owner and refuses one that others can reach.</summary>
internal static class KeychainPermissions
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the folder with mode 0700 (or tightens a folder that exists but is empty of keys).</summary>
    public static void CreateFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, OwnerOnlyFolder);
        // CreateDirectory leaves an existing folder's mode alone and the umask may narrow a new one: set it exactly.
        File.SetUnixFileMode(folder, OwnerOnlyFolder);
    }

    /// <summary>Throws <see cref="KeychainException"/> when group or others may read or write the folder or a key
    /// file (those that exist).</summary>
    public static void Check(string folder, params string[] keyFiles)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var folderMode = File.GetUnixFileMode(folder);
        if ((folderMode & GroupOrOthers) != 0)
        {
            throw new KeychainException(
                $"The keychain folder {folder} is open to other users (mode {Octal(folderMode)}); refusing to use it. " +
                $"Run `chmod 700 {folder}` and check nobody else copied the key.");
        }

        foreach (var keyFile in keyFiles.Where(File.Exists))
        {
            var keyMode = File.GetUnixFileMode(keyFile);
            if ((keyMode & GroupOrOthers) != 0)
            {
                throw new KeychainException(
                    $"The device key {keyFile} is readable or writable by other users (mode {Octal(keyMode)}); refusing to use it. " +
                    $"Run `chmod 600 {keyFile}` and `chmod 700 {folder}`, or re-enroll if others may have copied it.");
            }
        }
    }

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
