namespace Signet.Server.Hosting;

/// <summary>Files only the server's own user may read (master key, initial password).</summary>
internal static class SecureFile
{
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
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
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
}
