using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Signet.Agent.Keychain;
using Signet.Protocol.Device;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests.Commands;

/// <summary><c>checkin</c> carries out the actions the server returns. A small stand-in server on 127.0.0.1 plays
/// the agent API (the real server cannot be made to ask for a renewal without waiting out two-thirds of a
/// certificate's lifetime); the end-to-end tests cover the real server.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CheckInActionsTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TestCa _ca = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private WebApplication _server = null!;
    private string _url = "";

    private string Keychain => _temp.Combine("keychain");

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.Use(async (context, next) =>
        {
            // Every agent request must arrive signed and name the computer.
            if (!context.Request.Headers.ContainsKey("Signature") || context.Request.Headers["Signet-Device"] != "UDID-ACTIONS")
            {
                context.Response.StatusCode = 400;
                return;
            }

            _requests.Enqueue(context.Request.Path);
            await next(context);
        });
        _server.MapPost("/agent/v1/checkin", () => new CheckInResponse("computer-1", [AgentActions.Inventory, AgentActions.Renew, "reboot"], 120));
        _server.MapPost("/agent/v1/inventory", async (HttpRequest request) =>
        {
            var document = await request.ReadFromJsonAsync<InventoryDocument>(SignetJson.Options);
            return document?.OperatingSystem is null ? Results.BadRequest() : Results.NoContent();
        });
        _server.MapPost("/agent/v1/renew", (RenewRequest renew) =>
        {
            var csr = CertificateRequest.LoadSigningRequestPem(renew.Csr, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var certificate = _ca.Issue(csr);
            return new RenewResponse(certificate.ExportCertificatePem(), [_ca.Certificate.ExportCertificatePem()]);
        });
        await _server.StartAsync();
        _url = _server.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _ca.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task SendsInventoryThenRenewsAndReportsUnknownActions()
    {
        var keychain = new FileKeychain(Keychain);
        string oldKeyId;
        using (var key = keychain.GenerateKey(DeviceKeyType.EcP256))
        using (var certificate = _ca.Issue(key))
        {
            keychain.Create(new AgentConfig(_url, "computer-1", "UDID-ACTIONS"), key, certificate, _ca.Bundle);
            oldKeyId = KeyIds.FromCertificate(certificate.RawData);
        }

        var result = await CliRunner.RunAsync(["checkin", "--keychain", Keychain], new() { ["SIGNET_DEVICE_UDID"] = "UDID-ACTIONS" });

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["/agent/v1/checkin", "/agent/v1/inventory", "/agent/v1/renew"], _requests);
        Assert.Contains("Sent inventory", result.Output, StringComparison.Ordinal);
        Assert.Contains("Renewed the device certificate", result.Output, StringComparison.Ordinal);
        Assert.Contains("Ignored the action 'reboot'", result.Output, StringComparison.Ordinal);
        using var credentials = keychain.Open()!;
        Assert.NotEqual(oldKeyId, credentials.SigningKey.KeyId);
        Assert.Equal(DeviceKeyType.EcP256, credentials.KeyType);
        Assert.Equal(120, credentials.Config.CheckInIntervalSeconds);
        Assert.NotNull(credentials.Config.LastContactAt);
    }
}
