namespace Signet.EndToEnd.Tests;

/// <summary>The kit's <see cref="ServerProcess"/> as these tests start it: the server built for this test run, over
/// https by default (as agents meet it).</summary>
internal static class Servers
{
    /// <param name="https">Listen on https (the default) or plain http.</param>
    /// <param name="environment">More settings for the server (e.g. <c>Signet__AgentDownloads__Directory</c>, a CA key store).</param>
    /// <param name="dataDirectory">An existing data folder to start on (a restore); null for a new one.</param>
    /// <param name="port">The port to listen on (where enrolled agents expect the server); null for a free one.</param>
    public static Task<ServerProcess> StartAsync(bool https = true, IReadOnlyDictionary<string, string>? environment = null,
        string? dataDirectory = null, int? port = null) =>
        ServerProcess.StartAsync(new ServerProcessOptions
        {
            ServerDll = Programs.ServerDll,
            Https = https,
            Port = port,
            DataDirectory = dataDirectory,
            Environment = environment ?? new Dictionary<string, string>(),
        });
}

/// <summary>One server process per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await Servers.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
