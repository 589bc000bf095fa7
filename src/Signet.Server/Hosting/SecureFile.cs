namespace Signet.Server.Hosting;

/// <summary>Files only the server's own user may read or write (database, master key, initial password): mode 0600
/// whatever the umask.</summary>
internal static class SecureFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the file with mode 0600 from the start (never world-readable, not even briefly);
    /// false when it already exists, so two concurrent first starts do not overwrite each other.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> contents)
    {
        if (File.Exists(path))
        {
            return false;
        }

        // Written whole under a private name, then linked into place without overwriting: a node starting beside this
        // one (same data folder) sees either no file or the complete one, never a half-written or locked file.
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temporary, CreateNewOptions()))
        {
            SetOwnerOnly(temporary);
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Sets mode 0600 on <paramref name="path"/> if it exists; with <paramref name="createEmpty"/>, first
    /// creates it empty (0600) when it does not. SQLite creates its -wal and -shm files with the database file's
    /// mode, so a database file made this way keeps them private too.</summary>
    public static void MakePrivate(string path, bool createEmpty = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (createEmpty)
        {
            try
            {
                using var created = new FileStream(path, CreateNewOptions());
            }
            catch (IOException) when (File.Exists(path))
            {
                // There already (a restart, or another node created it first).
            }
        }

        if (!File.Exists(path) || File.GetUnixFileMode(path) == OwnerOnly)
        {
            return;
        }

        try
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StartRefusedException($"Cannot make {path} private to the server's user ({e.Message}); run `chmod 600 {path}` as its owner.", e);
        }
    }

    /// <summary>Refuses to start when group or others may read or write <paramref name="path"/>.</summary>
    public static void RefuseIfOpenToOthers(string path, string what, string advice)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new StartRefusedException(
                $"The {what} {path} is readable or writable by other users (mode {Octal(mode)}); refusing to start. " +
                $"Run `chmod 600 {path}`{advice}.");
        }
    }

    public static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private static FileStreamOptions CreateNewOptions()
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }

    /// <summary>The umask may only narrow the create mode; this makes it exactly 0600 (a umask of 0277 would
    /// otherwise leave a file its owner cannot write).</summary>
    private static void SetOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
