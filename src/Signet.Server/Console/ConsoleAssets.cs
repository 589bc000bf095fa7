using System.Security.Cryptography;

namespace Signet.Server.WebConsole;

/// <summary>A file the console pages load (its stylesheet, its one script), embedded in the assembly: the server may be
/// started from any working directory (its content root), and a published single binary needs no wwwroot beside it.</summary>
internal sealed class ConsoleAsset(string fileName, string contentType)
{
    public static readonly ConsoleAsset Stylesheet = new("console.css", "text/css; charset=utf-8");

    /// <summary>Progressive enhancement only (the copy buttons): every page works without it.</summary>
    public static readonly ConsoleAsset Script = new("console.js", "text/javascript; charset=utf-8");

    private readonly Lazy<(byte[] Content, string Version)> _loaded = new(() =>
    {
        var resource = "Signet.Server.Console." + fileName;
        using var stream = typeof(ConsoleAsset).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    });

    private string Path => $"{ConsoleExtensions.PathPrefix}/{fileName}";

    /// <summary>The address with a content hash, so browsers may cache it for good and still see every change.</summary>
    public string Url => $"{Path}?v={_loaded.Value.Version}";

    public void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, (HttpContext context, string? v) =>
        {
            if (v == _loaded.Value.Version)
            {
                context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            }

            return TypedResults.Bytes(_loaded.Value.Content, contentType);
        }).AllowAnonymous().ExcludeFromDescription();
}
