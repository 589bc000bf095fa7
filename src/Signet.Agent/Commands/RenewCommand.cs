using System.CommandLine;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet renew</c>: a new key pair and CSR, sent signed with the current key; the keychain swaps the
/// pair in atomically.</summary>
internal static class RenewCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("renew", "Renew the device certificate with a new key pair");
        CommandRunner.Bind(command, options, host, async (context, _, cancellationToken) =>
        {
            var result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            context.Output.Result([result.Summary], new { ok = true, certificate = result.Certificate });
        });
        return command;
    }

    internal sealed record RenewResult(object Certificate, string Summary);

    internal static async Task<RenewResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var credentials = context.OpenCredentials();
        var server = new Uri(credentials.Config.ServerUrl);
        context.Output.Progress($"Generating a new {Keychain.DeviceKeyTypes.Describe(credentials.KeyType)} key pair ...");
        using var key = context.Keychain.GenerateKey(credentials.KeyType);
        var csr = key.CreateSigningRequestPem(credentials.Config.Udid);

        context.Output.Progress($"Requesting a new certificate from {credentials.Config.ServerUrl} ...");
        RenewResponse response;
        using (var client = context.SignedClient(credentials))
        {
            response = await client.RenewAsync(new RenewRequest(csr), cancellationToken).ConfigureAwait(false);
        }

        using var certificate = Certificates.Parse(response.Certificate, server);
        if (!key.IsCertifiedBy(certificate))
        {
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {credentials.Config.ServerUrl} returned a certificate for a different key; the keychain was left unchanged. Report this to your administrator.");
        }

        context.Output.Progress("Storing the new key and certificate ...");
        context.Keychain.ReplaceIdentity(key, certificate);
        context.RecordContact(credentials.Config);
        return new RenewResult(
            Certificates.Describe(certificate),
            $"Renewed the device certificate: {certificate.Subject}, serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():u}.");
    }
}
