using Microsoft.Extensions.Options;

namespace Signet.Server.Hosting;

/// <summary>The data folder, created (mode 0700) on first use.</summary>
internal sealed class DataDirectory
{
    public DataDirectory(IOptions<HostingOptions> options, IHostEnvironment environment)
    {
        var configured = options.Value.DataDirectory;
        Path = System.IO.Path.GetFullPath(configured, environment.ContentRootPath);
        if (!Directory.Exists(Path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Path);
            }
            else
            {
                Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);
}
