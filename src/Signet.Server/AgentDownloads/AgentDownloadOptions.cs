namespace Signet.Server.AgentDownloads;

/// <summary><c>Signet:AgentDownloads</c>: where the published single-file agent builds are served from.</summary>
internal sealed class AgentDownloadOptions
{
    public const string Section = "Signet:AgentDownloads";

    /// <summary>Folder holding <c>&lt;rid&gt;/signet</c> per runtime, as <c>dotnet publish -p:PublishProfile=&lt;rid&gt;</c>
    /// writes it under <c>src/Signet.Agent/bin/publish</c>; relative to the data folder; default <c>agent-builds</c>.</summary>
    public string Directory { get; set; } = "agent-builds";
}
