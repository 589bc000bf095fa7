using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>The published agent builds as the server serves them, with the hash the install script checks.</summary>
public sealed class AgentDownloadTests
{
    [Fact]
    public async Task ListingAndDownloadCarryTheBuildsSha256()
    {
        await using var factory = new SignetFactory();
        var build = WriteBuild(factory, "linux-x64", "first build"u8.ToArray());
        using var client = factory.CreateClient();

        var listing = await client.GetFromJsonAsync<JsonElement>("/agent/v1/download");
        var only = Assert.Single(listing.GetProperty("builds").EnumerateArray());
        Assert.Equal("linux-x64", only.GetProperty("rid").GetString());
        Assert.Equal("linux", only.GetProperty("os").GetString());
        Assert.Equal("x64", only.GetProperty("architecture").GetString());
        Assert.Equal(build.Length, only.GetProperty("sizeBytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(build)), only.GetProperty("sha256").GetString());
        Assert.Equal("/agent/v1/download/linux-x64", only.GetProperty("url").GetString());

        var download = await client.GetAsync(new Uri("/agent/v1/download/linux-x64", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(build, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(build)), download.Headers.GetValues("Signet-Sha256").Single());
        Assert.Equal($"sha-256=:{Convert.ToBase64String(SHA256.HashData(build))}:", download.Headers.GetValues("Content-Digest").Single());
    }

    [Fact]
    public async Task ABuildReplacedInPlaceIsHashedAgain()
    {
        await using var factory = new SignetFactory();
        WriteBuild(factory, "osx-arm64", "old"u8.ToArray());
        using var client = factory.CreateClient();
        await client.GetAsync(new Uri("/agent/v1/download/osx-arm64", UriKind.Relative));

        // Longer, so it differs from the old one even within the file system's timestamp resolution.
        var replaced = WriteBuild(factory, "osx-arm64", "a newer, longer build"u8.ToArray());
        var download = await client.GetAsync(new Uri("/agent/v1/download/osx-arm64", UriKind.Relative));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(replaced)), download.Headers.GetValues("Signet-Sha256").Single());
    }

    [Theory]
    [InlineData("/agent/v1/download/linux-arm64", "dotnet publish src/Signet.Agent -p:PublishProfile=linux-arm64")]
    [InlineData("/agent/v1/download/win-x64", "builds exist for osx-arm64, osx-x64, linux-x64, linux-arm64")]
    [InlineData("/agent/v1/download/..%2F..%2Fsignet.db", "builds exist for")]
    public async Task MissingOrUnknownBuildIsNotFound(string path, string hint)
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var problem = await (await client.GetAsync(new Uri(path, UriKind.Relative))).AssertProblemAsync(HttpStatusCode.NotFound, "not-found");
        Assert.Contains(hint, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/agent/v1/download")).GetProperty("builds").EnumerateArray());
    }

    [Fact]
    public async Task InstallScriptNamesThisServer()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/install.sh", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/x-shellscript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("#!/bin/sh\n", script, StringComparison.Ordinal);
        Assert.Contains("server='http://localhost'", script, StringComparison.Ordinal);
        Assert.DoesNotContain("@SIGNET_SERVER_URL@", script, StringComparison.Ordinal);
    }

    private static byte[] WriteBuild(SignetFactory factory, string rid, byte[] bytes)
    {
        var folder = Directory.CreateDirectory(Path.Combine(factory.DataDirectory, "agent-builds", rid));
        File.WriteAllBytes(Path.Combine(folder.FullName, "signet"), bytes);
        return bytes;
    }
}
