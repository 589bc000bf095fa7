using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.AgentDownloads;

/// <summary>A build as listed by <c>GET /agent/v1/download</c>.</summary>
internal sealed record AgentBuildDto(string Rid, string Os, string Architecture, long SizeBytes, string Sha256, string Url);

/// <summary><c>GET /agent/v1/download</c> body.</summary>
internal sealed record AgentBuildList(IReadOnlyList<AgentBuildDto> Builds);

/// <summary>Getting the agent onto a computer: the published builds and the script that installs one. Public, like
/// <c>/agent/v1/ca</c>: a build is no secret, and the script checks what it downloads against the pinned CA.</summary>
internal static class AgentDownloadEndpoints
{
    public const string InstallScriptPath = "/install.sh";
    private const string ServerPlaceholder = "@SIGNET_SERVER_URL@";

    /// <summary>The build's SHA-256 as lowercase hex, for a shell script that has <c>sha256sum</c> but no base64 decoder.</summary>
    public const string Sha256Header = "Signet-Sha256";

    public static WebApplicationBuilder AddAgentDownloads(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AgentDownloadOptions>()
            .BindConfiguration(AgentDownloadOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Signet:AgentDownloads:Directory must name a folder.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AgentBuilds>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAgentDownloads(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/agent/v1/download").WithTags("Agent");
        downloads.MapGet("", async (AgentBuilds builds, CancellationToken cancellationToken) =>
                TypedResults.Ok(new AgentBuildList((await builds.ListAsync(cancellationToken)).Select(Dto).ToList())))
            .WithName("ListAgentBuilds")
            .WithSummary("The agent builds this server serves, each with its size and SHA-256");
        downloads.MapGet("/{rid}", DownloadAsync)
            .WithName("DownloadAgent")
            .WithSummary("One self-contained agent executable; its SHA-256 is in Content-Digest (RFC 9530) and Signet-Sha256 (hex)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblems(ProblemCode.NotFound);
        app.MapGet(InstallScriptPath, (HttpRequest request) =>
                TypedResults.Text(InstallScript.Value.Replace(ServerPlaceholder, $"{request.Scheme}://{request.Host}", StringComparison.Ordinal),
                    "text/x-shellscript", System.Text.Encoding.UTF8))
            .WithName("GetInstallScript")
            .WithTags("Agent")
            .WithSummary("The install script: downloads the build for this computer, checks it against the pinned CA, enrolls, installs the daemon");
        return app;
    }

    private static async Task<IResult> DownloadAsync(string rid, AgentBuilds builds, HttpContext context, CancellationToken cancellationToken)
    {
        if (await builds.FindAsync(rid, cancellationToken) is not { } build)
        {
            return ProblemResults.NotFound(AgentBuilds.Runtimes.Contains(rid, StringComparer.Ordinal)
                ? $"No agent build for {rid} is on this server: publish one with `dotnet publish src/Signet.Agent -p:PublishProfile={rid}` " +
                  $"and copy it to {builds.PathOf(rid)}."
                : $"There is no agent build for '{rid}'; builds exist for {string.Join(", ", AgentBuilds.Runtimes)}.");
        }

        context.Response.Headers[SignetHeaders.ContentDigest] = build.ContentDigest;
        context.Response.Headers[Sha256Header] = build.Sha256Hex;
        return TypedResults.PhysicalFile(build.Path, "application/octet-stream", AgentBuilds.FileName);
    }

    private static AgentBuildDto Dto(AgentBuild build)
    {
        var dash = build.Rid.IndexOf('-', StringComparison.Ordinal);
        return new AgentBuildDto(build.Rid, build.Rid[..dash] == "osx" ? "macos" : build.Rid[..dash], build.Rid[(dash + 1)..],
            build.SizeBytes, build.Sha256Hex, "/agent/v1/download/" + build.Rid);
    }

    private static readonly Lazy<string> InstallScript = new(() =>
    {
        using var stream = typeof(AgentDownloadEndpoints).Assembly.GetManifestResourceStream("Signet.Server.AgentDownloads.install.sh")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });
}
