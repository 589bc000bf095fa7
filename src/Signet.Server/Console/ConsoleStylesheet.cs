using System.Security.Cryptography;

namespace Signet.Server.WebConsole;

/// <summary>The console's one stylesheet, embedded in the assembly: the server may be started from any working directory
/// (its content root), and a published single binary needs no wwwroot beside it.</summary>
internal static class ConsoleStylesheet
{
    private const string ResourceName = "Signet.Server.Console.console.css";

    private static readonly Lazy<(byte[] Content, string Version)> Loaded = new(() =>
    {
        using var stream = typeof(ConsoleStylesheet).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var content = buffer.ToArray();
        return (content, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
    });

    /// <summary>The address with a content hash, so browsers may cache it for good and still see every change.</summary>
    public static string Url => $"{ConsoleExtensions.PathPrefix}/console.css?v={Loaded.Value.Version}";

    public static IEndpointRouteBuilder MapConsoleStylesheet(this IEndpointRouteBuilder app)
    {
        app.MapGet(ConsoleExtensions.PathPrefix + "/console.css", (HttpContext context, string? v) =>
        {
            if (v == Loaded.Value.Version)
            {
                context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            }

            return TypedResults.Bytes(Loaded.Value.Content, "text/css; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
