using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Signet.Server.Hosting;

namespace Signet.Server.AgentDownloads;

/// <summary>One published agent build: its runtime, its size and the SHA-256 of its bytes (hex and RFC 9530 form).</summary>
internal sealed record AgentBuild(string Rid, string Path, long SizeBytes, byte[] Sha256)
{
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);

    /// <summary><c>Content-Digest</c> value (RFC 9530), the format the agent API uses for bodies.</summary>
    public string ContentDigest => $"sha-256=:{Convert.ToBase64String(Sha256)}:";
}

/// <summary>The agent builds on disk for the runtimes Signet publishes. A build's hash is computed once per version of
/// the file (size and modification time), so a build replaced in place is hashed again on its next request.</summary>
internal sealed class AgentBuilds(IOptions<AgentDownloadOptions> options, DataDirectory data)
{
    /// <summary>The runtimes with a publish profile in src/Signet.Agent/Properties/PublishProfiles.</summary>
    public static readonly IReadOnlyList<string> Runtimes = ["osx-arm64", "osx-x64", "linux-x64", "linux-arm64"];

    public const string FileName = "signet";

    private readonly ConcurrentDictionary<string, (long Size, DateTime Modified, byte[] Hash)> _hashes = new();

    public string Folder { get; } = System.IO.Path.GetFullPath(options.Value.Directory, data.Path);

    /// <summary>The build for a runtime, or null when the runtime is unknown or not published here.</summary>
    public async Task<AgentBuild?> FindAsync(string rid, CancellationToken cancellationToken)
    {
        if (!Runtimes.Contains(rid, StringComparer.Ordinal))
        {
            return null;
        }

        var file = new FileInfo(PathOf(rid));
        if (!file.Exists)
        {
            return null;
        }

        var (size, modified) = (file.Length, file.LastWriteTimeUtc);
        if (!_hashes.TryGetValue(rid, out var known) || known.Size != size || known.Modified != modified)
        {
            await using var stream = file.OpenRead();
            known = (size, modified, await SHA256.HashDataAsync(stream, cancellationToken));
            _hashes[rid] = known;
        }

        return new AgentBuild(rid, file.FullName, size, known.Hash);
    }

    public async Task<IReadOnlyList<AgentBuild>> ListAsync(CancellationToken cancellationToken)
    {
        var builds = new List<AgentBuild>();
        foreach (var rid in Runtimes)
        {
            if (await FindAsync(rid, cancellationToken) is { } build)
            {
                builds.Add(build);
            }
        }

        return builds;
    }

    public string PathOf(string rid) => System.IO.Path.Combine(Folder, rid, FileName);
}
