using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>The real signet-server program (built beside these tests) as a process on a free loopback port, for what
/// only a real process shows: file modes under a umask, a refused start, Kestrel's reading of raw HTTP, its log.</summary>
public sealed class ServerProgram : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProgram(Process process, int port)
    {
        _process = process;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/");

    /// <summary>Standard output and error so far.</summary>
    public string Log
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server on the data folder under <paramref name="umask"/> and waits until it answers.</summary>
    public static async Task<ServerProgram> StartAsync(string dataDirectory, string umask = "077", IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var server = new ServerProgram(Process.Start(StartInfo(dataDirectory, umask, port, settings))!, port);
        try
        {
            await server.WaitUntilServingAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the server on the data folder and waits for it to exit on its own (a refused start).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunUntilExitAsync(string dataDirectory, string umask = "077",
        IReadOnlyDictionary<string, string>? settings = null)
    {
        using var process = Process.Start(StartInfo(dataDirectory, umask, FreePort(), settings))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"signet-server did not exit:\n{await output}\n{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Sends bytes as they are on a new connection and returns everything the server answers until it
    /// closes the connection (or <paramref name="timeout"/> passes). <paramref name="pauses"/> are sent one at a
    /// time, a second apart, after <paramref name="request"/>: a client whose body arrives too slowly.</summary>
    public async Task<string> SendRawAsync(byte[] request, int pauses = 0, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port);
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string dataDirectory, string umask, int port, IReadOnlyDictionary<string, string>? settings)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        // Through the shell so the umask applies to the server exactly as an operator's shell would set it.
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dataDirectory)!,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"umask {umask} && exec \"$0\" \"$@\"");
        start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "signet-server.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Signet__DataDirectory"] = dataDirectory;
        start.Environment["Signet__Ca__KeyAlgorithm"] = "ECDSA-P256";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"signet-server exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"signet-server did not start:\n{Log}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
