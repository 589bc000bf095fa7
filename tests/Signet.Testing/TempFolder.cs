namespace Signet.Testing;

/// <summary>A temporary folder (a data folder, files handed to other programs, a keychain), deleted on dispose.</summary>
public sealed class TempFolder(string prefix = "signet-test-files-") : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text);
        return file;
    }

    public string Write(string name, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => TryDelete(Path);

    /// <summary>Deletes a folder a test made, after closing pooled SQLite connections that may hold its database file;
    /// a folder that cannot be deleted is left behind (harmless in a temp folder).</summary>
    public static void TryDelete(string directory)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
