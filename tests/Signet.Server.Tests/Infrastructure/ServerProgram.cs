using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>The real signet-server program (the kit's <see cref="ServerProcess"/>, built beside these tests) for what only
/// a real process shows: file modes under a umask, a refused start, Kestrel's reading of raw HTTP, its log. It starts as
/// an operator's first start does: the admin password generated, an ECDSA CA (faster on a busy machine).</summary>
public static class ServerProgram
{
    /// <summary>Starts the server on the data folder under <paramref name="umask"/> and waits until it answers.</summary>
    public static Task<ServerProcess> StartAsync(string dataDirectory, string umask = "077", IReadOnlyDictionary<string, string>? settings = null) =>
        ServerProcess.StartAsync(Options(dataDirectory, umask, settings));

    /// <summary>Runs the server on the data folder and waits for it to exit on its own (a refused start).</summary>
    public static Task<ProgramResult> RunUntilExitAsync(string dataDirectory, string umask = "077", IReadOnlyDictionary<string, string>? settings = null) =>
        ServerProcess.RunUntilExitAsync(Options(dataDirectory, umask, settings));

    /// <summary>Sends bytes as they are on a new connection and returns everything the server answers until it
    /// closes the connection (or <paramref name="timeout"/> passes). <paramref name="pauses"/> are sent one at a
    /// time, a second apart, after <paramref name="request"/>: a client whose body arrives too slowly.</summary>
    public static async Task<string> SendRawAsync(this ServerProcess server, byte[] request, int pauses = 0, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        for (var i = 0; i < pauses; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            try
            {
                await stream.WriteAsync(" "u8.ToArray());
            }
            catch (IOException)
            {
                break; // the server gave up on us, as it should
            }
        }

        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // What arrived before the timeout or reset is the answer.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static ServerProcessOptions Options(string dataDirectory, string umask, IReadOnlyDictionary<string, string>? settings)
    {
        var environment = new Dictionary<string, string> { ["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256" };
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return new ServerProcessOptions
        {
            DataDirectory = dataDirectory,
            KeepDataDirectory = true,
            AdminPassword = null,
            Umask = umask,
            Environment = environment,
        };
    }
}
