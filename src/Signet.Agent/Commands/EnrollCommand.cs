using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Signet.Agent.Keychain;
using Signet.Agent.ServerClient;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet enroll</c>: fetch and check the CA, create a key pair and CSR, enroll, store the keychain.</summary>
internal static class EnrollCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var server = new Option<string>("--server") { Description = "Signet server URL (https; http only for a loopback address)", HelpName = "URL", Required = true };
        var invitation = new Option<string>("--invitation") { Description = "Invitation code from the administrator", HelpName = "CODE", Required = true };
        var fingerprint = new Option<string?>("--ca-fingerprint") { Description = "Expected SHA-256 fingerprint of the server's CA certificate (hex, colons optional)", HelpName = "HEX" };
        var keyType = new Option<string>("--key-type") { Description = "Key pair to generate", DefaultValueFactory = _ => "rsa" };
        keyType.AcceptOnlyFromAmong("rsa", "ec-p256", "ec-p384");

        var command = new Command("enroll", "Create the keychain and key pair, and enroll this computer with a Signet server")
        {
            server, invitation, fingerprint, keyType,
        };
        CommandRunner.Bind(command, options, host, (context, parse, cancellationToken) => RunAsync(
            context,
            parse.GetValue(server)!,
            parse.GetValue(invitation)!,
            parse.GetValue(fingerprint),
            ParseKeyType(parse.GetValue(keyType)),
            cancellationToken));
        return command;
    }

    private static DeviceKeyType ParseKeyType(string? name) => name switch
    {
        "ec-p256" => DeviceKeyType.EcP256,
        "ec-p384" => DeviceKeyType.EcP384,
        _ => DeviceKeyType.Rsa,
    };

    private static async Task RunAsync(AgentContext context, string serverText, string invitation, string? expectedFingerprint, DeviceKeyType keyType, CancellationToken cancellationToken)
    {
        var (server, error) = ServerAddress.Parse(serverText);
        if (server is null)
        {
            throw new AgentFailure(ExitCodes.Usage, error!);
        }

        if (string.IsNullOrWhiteSpace(invitation))
        {
            throw new AgentFailure(ExitCodes.Usage, "The invitation code is empty; pass the code your administrator gave you with --invitation.");
        }

        var identity = context.ReadIdentity();
        var output = context.Output;

        output.Progress($"Fetching the CA certificate from {server} ...");
        string caPem;
        using (var bootstrap = new AgentApiClient(ServerConnections.ForCaBootstrap(server), server))
        {
            caPem = await bootstrap.GetCaBundleAsync(cancellationToken).ConfigureAwait(false);
        }

        var bundle = CaTrust.ParseBundle(caPem);
        if (bundle.Count == 0)
        {
            throw new AgentFailure(ExitCodes.EnrollmentRefused,
                $"{server} did not return a CA certificate at /agent/v1/ca; check that the URL points at a Signet server.");
        }

        // Only the CA whose fingerprint is checked (or shown) becomes a trust anchor; anything else in the bundle is
        // dropped so an interceptor cannot slip in a root of its own next to the genuine one.
        using var anchor = bundle[0];
        foreach (var dropped in bundle.Skip(1))
        {
            dropped.Dispose();
        }

        var fingerprint = CaTrust.Fingerprint(anchor);
        if (expectedFingerprint is not null && !CaTrust.Matches(anchor, expectedFingerprint))
        {
            throw new AgentFailure(ExitCodes.EnrollmentRefused,
                $"The CA certificate of {server} has SHA-256 fingerprint {fingerprint}, not the expected {expectedFingerprint}: this may not be your Signet server, or the connection is intercepted; nothing was stored. Check the fingerprint with your administrator.");
        }

        if (expectedFingerprint is null)
        {
            output.Progress($"CA certificate: {anchor.Subject}, SHA-256 fingerprint {fingerprint}");
            output.Progress("Confirm this fingerprint with your administrator (pass --ca-fingerprint to have it checked).");
        }

        var trusted = new X509Certificate2Collection(anchor);
        output.Progress($"Generating an {keyType.Describe()} key pair ...");
        using var key = context.Keychain.GenerateKey(keyType);
        var device = new DeviceInfo(identity.Udid, identity.SerialNumber, Environment.MachineName, identity.Model, null, null);
        var os = Inventory.InventoryCollector.OperatingSystemOnly();
        device = device with { OsName = os.Name, OsVersion = os.Version };

        output.Progress("Enrolling ...");
        EnrollResponse response;
        using (var client = new AgentApiClient(ServerConnections.Trusting(server, trusted), server))
        {
            response = await client.EnrollAsync(new EnrollRequest(invitation.Trim(), key.CreateSigningRequestPem(identity.Udid), device), cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(response.ComputerId))
        {
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {server} accepted the enrollment but sent no computer id; nothing was stored. Check that the agent and server versions match.");
        }

        using var certificate = Certificates.Parse(response.Certificate, server);
        if (!key.IsCertifiedBy(certificate))
        {
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {server} returned a certificate for a different key; nothing was stored. Report this to your administrator.");
        }

        output.Progress($"Storing the keychain in {context.Keychain.Location} ...");
        var config = new AgentConfig(server.AbsoluteUri.TrimEnd('/'), response.ComputerId, identity.Udid)
        {
            LastContactAt = context.Time.GetUtcNow(),
            CheckInIntervalSeconds = response.CheckInIntervalSeconds,
        };
        context.Keychain.Create(config, key, certificate, trusted);

        output.Result(
            [
                $"Enrolled with {config.ServerUrl} as computer {config.ComputerId}.",
                $"Device certificate: {certificate.Subject}, serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():u}.",
                $"Keychain: {context.Keychain.Location} ({keyType.Describe()} key).",
                $"CA fingerprint (SHA-256): {fingerprint}",
            ],
            new
            {
                ok = true,
                server = config.ServerUrl,
                computerId = config.ComputerId,
                udid = config.Udid,
                keychain = context.Keychain.Location,
                keyType = keyType.ToName(),
                certificate = Certificates.Describe(certificate),
                caFingerprint = fingerprint,
                checkInIntervalSeconds = response.CheckInIntervalSeconds,
            });
    }
}
