using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Signet.Agent.Keychain.Files;

/// <summary>Replaces files so that a crash leaves either the old or the new content, never a mix: write a temporary
/// file in the same folder, flush it to disk, rename it over the target, then flush the folder so the rename
/// itself survives a power loss.</summary>
internal static partial class AtomicFile
{
    /// <summary>Prefix of temporary files; a keychain that finds them left over from a crash deletes them.</summary>
    public const string TemporaryPrefix = ".tmp-";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, TemporaryPrefix + Path.GetFileName(path) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            // Every keychain file is private from its first byte, not chmod-ed after the fact.
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        SyncFolder(folder);
    }

    /// <summary>Renames <paramref name="source"/> over <paramref name="destination"/> durably.</summary>
    public static void Rename(string source, string destination)
    {
        File.Move(source, destination, overwrite: true);
        SyncFolder(Path.GetDirectoryName(Path.GetFullPath(destination))!);
    }

    /// <summary>Flushes a folder's entries (renames, creations) to disk. .NET cannot open a folder as a stream, so
    /// this calls open/fsync directly; on Windows renames are durable once MoveFileEx returns.</summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(folder, 0 /* O_RDONLY */);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open {folder} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Cannot flush {folder} to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
