namespace Signet.Server.Hosting;

/// <summary>Files only the server's own user may read (master key, initial password).</summary>
internal static class SecureFile
{
    /// <summary>Creates the file with mode 0600 from the start (never world-readable, not even briefly);
    /// false when it already exists, so two concurrent first starts do not overwrite each other.</summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> contents)
    {
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

        FileStream stream;
        try
        {
            stream = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }

        using (stream)
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        return true;
    }
}
