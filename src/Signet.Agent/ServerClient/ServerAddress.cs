namespace Signet.Agent.ServerClient;

/// <summary>Checks the server URL given to <c>enroll</c>: https, or plain http only to this computer itself.</summary>
internal static class ServerAddress
{
    /// <summary>The normalized base URL (no trailing slash), or an error message for a usage error.</summary>
    public static (Uri? Url, string? Error) Parse(string? text)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
        {
            return (null, $"'{text}' is not a server URL; give one like https://signet.example.com.");
        }

        // Plain http carries the invitation and the CA in the clear, so it is only for a server on this computer.
        if (url.Scheme == "http" && !url.IsLoopback)
        {
            return (null, $"{url.GetLeftPart(UriPartial.Authority)} uses plain http; use https (http is allowed only for a loopback address such as 127.0.0.1, ::1 or localhost).");
        }

        if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            return (null, $"'{text}' has a query or fragment; give only the server's base URL.");
        }

        return (new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/')), null);
    }

    /// <summary>For an <c>http://</c> URL refused because it is not a loopback address, the same URL with https (and the
    /// same port); null otherwise.</summary>
    public static string? HttpsInstead(string? text) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp && url.Host.Length > 0 && !url.IsLoopback
            ? new UriBuilder(url) { Scheme = Uri.UriSchemeHttps, Port = url.Port }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : null;
}
