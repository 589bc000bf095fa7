namespace Signet.EndToEnd.Tests;

/// <summary>Self-contained single-file agent builds made with the repository's publish profiles, the way an
/// administrator makes them for the server to serve: <c>&lt;Folder&gt;/&lt;rid&gt;/signet</c>.</summary>
public sealed class AgentBuilds : IDisposable
{
    private readonly Dictionary<string, Task<string>> _published = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("signet-e2e-agent-builds-").FullName;

    /// <summary>Publishes the build for <paramref name="rid"/> once; the path of its executable.</summary>
    public Task<string> PublishAsync(string rid)
    {
        lock (_published)
        {
            if (!_published.TryGetValue(rid, out var published))
            {
                published = PublishOnceAsync(rid);
                _published[rid] = published;
            }

            return published;
        }
    }

    private async Task<string> PublishOnceAsync(string rid)
    {
        var output = Path.Combine(Folder, rid);
        var result = await Programs.RunAsync(Programs.DotnetHost,
            ["publish", Programs.AgentProject, $"-p:PublishProfile={rid}", $"-p:PublishDir={output}/", "--nologo"],
            null, TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, $"dotnet publish for {rid} failed:\n{result}");
        var executable = Path.Combine(output, "signet");
        Assert.True(File.Exists(executable), $"no {executable} after publishing:\n{result}");
        Assert.Equal(["signet"], Directory.GetFiles(output).Select(Path.GetFileName));
        return executable;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
