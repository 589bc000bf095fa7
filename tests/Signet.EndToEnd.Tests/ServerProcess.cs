using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Signet.EndToEnd.Tests;

/// <summary>A real <c>signet-server</c> process on a free loopback port with its own data folder, and an admin
/// client for its API.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    public const string AdminPassword = "end-to-end-password";

    private readonly Process _process;
    private readonly OutputLog _log = new();
    private readonly HttpClient _http;
    private string? _token;

    private ServerProcess(string dataDirectory, Uri url, IReadOnlyDictionary<string, string>? environment)
    {
        DataDirectory = dataDirectory;
        Url = url;
        var start = new ProcessStartInfo(Programs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Programs.ServerDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.GetLeftPart(UriPartial.Authority));
        start.Environment["Signet__DataDirectory"] = dataDirectory;
        start.Environment["Signet__Admin__InitialPassword"] = AdminPassword;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Every test enrolls from 127.0.0.1; the per-address enrollment limit is not what these tests are about.
        start.Environment["Signet__Enrollment__PermitsPerMinute"] = "10000";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        _process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var handler = new SocketsHttpHandler();
        // Test code only: the server's TLS certificate is issued by its own CA, which the test learns below.
#pragma warning disable CA5359 // Test harness talking to the server it started itself on 127.0.0.1.
        handler.SslOptions.RemoteCertificateValidationCallback = TrustTestServer;
#pragma warning restore CA5359
        _http = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Url { get; }
    public string ServerUrl => Url.GetLeftPart(UriPartial.Authority);
    public string DataDirectory { get; }
    public string Log => _log.ToString();

    /// <summary>A client of this server (trusting its TLS certificate), without credentials.</summary>
    public HttpClient Http => _http;

    /// <summary>The CA certificate's SHA-256 fingerprint, as the administrator would read it off the server.</summary>
    public string CaFingerprint { get; private set; } = "";

    /// <param name="https">Listen on https (the default) or plain http.</param>
    /// <param name="environment">More settings for the server (e.g. <c>Signet__AgentDownloads__Directory</c>, a CA key store).</param>
    /// <param name="dataDirectory">An existing data folder to start on (a restore); null for a new one.</param>
    /// <param name="port">The port to listen on (where enrolled agents expect the server); null for a free one.</param>
    public static async Task<ServerProcess> StartAsync(bool https = true, IReadOnlyDictionary<string, string>? environment = null,
        string? dataDirectory = null, int? port = null)
    {
        var data = dataDirectory ?? Directory.CreateTempSubdirectory("signet-e2e-server-").FullName;
        var url = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{port ?? FreePort()}/");
        var server = new ServerProcess(data, url, environment);
        await server.WaitUntilHealthyAsync();
        using var ca = X509Certificate2.CreateFromPem(await server._http.GetStringAsync(new Uri("agent/v1/ca", UriKind.Relative)));
        server.CaFingerprint = Convert.ToHexString(SHA256.HashData(ca.RawData));
        return server;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"signet-server exited with {_process.ExitCode}:\n{Log}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("healthz", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"signet-server did not become healthy:\n{Log}");
    }

    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        _http.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    public async Task<string> CreateInvitationAsync()
    {
        using var response = await AdminAsync(HttpMethod.Post, "api/v1/invitations", new { });
        return (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement.GetProperty("code").GetString()!;
    }

    public async Task SetCertificateBasedCommunicationAsync(bool enabled)
    {
        using var response = await AdminAsync(HttpMethod.Put, "api/v1/settings/security", new { certificateBasedCommunication = enabled });
    }

    public async Task RevokeAsync(string computerId)
    {
        using var response = await AdminAsync(HttpMethod.Post, $"api/v1/computers/{computerId}/revoke-certificate", null);
    }

    public async Task<JsonElement> GetComputerAsync(string computerId)
    {
        using var response = await AdminAsync(HttpMethod.Get, $"api/v1/computers/{computerId}", null);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return document.RootElement.Clone();
    }

    /// <summary>A one-use invitation bound to an enrolled computer, for re-enrolling it at once.</summary>
    public async Task<string> CreateReenrollmentInvitationAsync(string computerId)
    {
        using var response = await AdminAsync(HttpMethod.Post, $"api/v1/computers/{computerId}/reenrollment-invitation", null);
        return (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement.GetProperty("code").GetString()!;
    }

    /// <summary>The id of the pending enrollment request of <paramref name="udid"/>, as an administrator lists it.</summary>
    public async Task<string> PendingEnrollmentRequestAsync(string udid)
    {
        using var response = await AdminAsync(HttpMethod.Get, "api/v1/enrollment-requests?status=pending", null);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return document.RootElement.EnumerateArray().Single(r => string.Equals(r.GetProperty("udid").GetString(), udid, StringComparison.OrdinalIgnoreCase)).GetProperty("id").GetString()!;
    }

    public async Task DecideEnrollmentRequestAsync(string id, bool approve)
    {
        using var response = await AdminAsync(HttpMethod.Post, $"api/v1/enrollment-requests/{id}/{(approve ? "approve" : "deny")}", null);
    }

    /// <summary>GET as the administrator; the body as text.</summary>
    public async Task<string> AdminGetStringAsync(string path)
    {
        using var response = await AdminAsync(HttpMethod.Get, path, null);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, object? body)
    {
        _token ??= await TokenAsync();
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new("Bearer", _token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"{method} {path} → {(int)response.StatusCode}: {text}");
        }

        return response;
    }

    private async Task<string> TokenAsync()
    {
        using var response = await _http.PostAsJsonAsync(new Uri("api/v1/auth/token", UriKind.Relative), new { username = "admin", password = AdminPassword });
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return document.RootElement.GetProperty("token").GetString()!;
    }

    private static bool TrustTestServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}

/// <summary>One server process per test class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    internal ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
