using Microsoft.Extensions.Options;
using Signet.Server.AdminApi;

namespace Signet.Server.Hosting;

/// <summary>The data folder, private to the server's user (mode 0700): created so on first use, tightened when it
/// was made beforehand (mkdir -p, a package) and holds nothing of Signet's yet, and refused when it is open to other
/// users while it already holds the database or keys.</summary>
internal sealed class DataDirectory
{
    public const string DatabaseFileName = "signet.db";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Files whose presence means the folder is already in use: opening it to others may have exposed them.</summary>
    private static readonly string[] StateFiles = [DatabaseFileName, MasterKey.FileName, AdminAccountSetup.PasswordFileName];

    public DataDirectory(IOptions<HostingOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.DataDirectory;
        Path = System.IO.Path.GetFullPath(configured, environment.ContentRootPath);
        try
        {
            Prepare();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartRefusedException(ServerExitCodes.DataFolder,
                $"Cannot use the data folder {Path} ({e.Message}); set Signet:DataDirectory (Signet__DataDirectory) to a folder the server's user owns and may write.", e);
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    private void Prepare()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
            return;
        }

        if (!Directory.Exists(Path))
        {
            Directory.CreateDirectory(Path, OwnerOnly);
            // The umask may narrow the mode CreateDirectory asks for: set it exactly.
            SetOwnerOnly(Path);
            return;
        }

        var mode = System.IO.File.GetUnixFileMode(Path);
        if ((mode & SecureFile.GroupOrOthers) != 0)
        {
            if (StateFiles.Any(name => System.IO.File.Exists(File(name))))
            {
                throw new StartRefusedException(
                    $"The data folder {Path} is open to other users (mode {SecureFile.Octal(mode)}) and holds Signet's database or keys; " +
                    $"refusing to start. Run `chmod 700 {Path}` and check that nobody else copied {MasterKey.FileName} or {DatabaseFileName}.");
            }

            SetOwnerOnly(Path);
        }

        // Written 0600 by every version; tightened in case it was copied in or restored with another mode.
        SecureFile.MakePrivate(File(AdminAccountSetup.PasswordFileName));
        // Fails here, with the folder named, rather than later in SQLite or the master key.
        _ = Directory.EnumerateFileSystemEntries(Path).Any();
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void SetOwnerOnly(string folder)
    {
        try
        {
            System.IO.File.SetUnixFileMode(folder, OwnerOnly);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StartRefusedException(
                $"Cannot make the data folder {folder} private to the server's user ({e.Message}); run `chmod 700 {folder}` as its owner, " +
                "or set Signet:DataDirectory to a folder this user owns.", e);
        }
    }
}
