using System.CommandLine;
using Signet.Agent.Keychain.Keys;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet renew</c>: a new key pair and CSR, sent signed with the current key; the keychain swaps the
/// pair in atomically. Two-phase (docs/lifecycle.md): the new key is stored (device.key.new) before its CSR is sent, and a
/// renewal whose answer was lost is finished by sending that same key's CSR again; the server answers with the same
/// certificate, and keeps the old one current until the new one signs.</summary>
internal static class RenewCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("renew", "Renew the device certificate with a new key pair");
        CommandRunner.Bind(command, options, host, async (context, _, cancellationToken) =>
        {
            var result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            context.Output.Result([result.Summary], new { ok = true, certificate = result.Certificate, resumed = result.Resumed });
        });
        return command;
    }

    // Resumed: this finished a renewal whose answer had been lost.
    internal sealed record RenewResult(object Certificate, string Summary, bool Resumed);

    internal static async Task<RenewResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var credentials = context.OpenCredentials();
        var server = new Uri(credentials.Config.ServerUrl);
        var stored = context.Keychain.OpenPendingRenewalKey();
        using var key = stored ?? context.Keychain.GenerateKey(credentials.KeyType);
        if (stored is null)
        {
            context.Output.Progress($"Generated a new {credentials.KeyType.Describe()} key pair; storing it before asking for its certificate ...");
            context.Keychain.SavePendingRenewalKey(key);
        }
        else
        {
            context.Output.Progress("Finishing the renewal that was interrupted, with the key stored then ...");
        }

        context.Output.Progress($"Requesting a new certificate from {credentials.Config.ServerUrl} ...");
        RenewResponse response;
        try
        {
            using var client = context.SignedClient(credentials);
            response = await client.RenewAsync(new RenewRequest(key.CreateSigningRequestPem(credentials.Config.Udid), key.Placement.ToDeclaration()), cancellationToken).ConfigureAwait(false);
        }
        catch (AgentFailure failure) when (failure.Problem is ProblemCode.KeyNotAllowed or ProblemCode.CsrInvalid)
        {
            // The server will never certify this key: forget it so the next renewal makes another.
            context.Keychain.DiscardPendingRenewalKey();
            throw;
        }

        using var certificate = Certificates.Parse(response.Certificate, server);
        if (!key.IsCertifiedBy(certificate))
        {
            // The old pair stays current on the server until a new certificate signs, so dropping the key is safe.
            context.Keychain.DiscardPendingRenewalKey();
            throw new AgentFailure(ExitCodes.Failure,
                $"The server at {credentials.Config.ServerUrl} returned a certificate for a different key; the keychain was left unchanged. Report this to your administrator.");
        }

        context.Output.Progress("Storing the new certificate and swapping in the new key ...");
        context.Keychain.ReplaceIdentity(key, certificate);
        // A renewal is served only with a valid signature, whatever the security setting.
        context.RecordContact(credentials.Config, signature: SignatureOutcomes.Valid);
        return new RenewResult(
            Certificates.Describe(certificate),
            $"Renewed the device certificate: {certificate.Subject}, serial {certificate.SerialNumber}, valid until {certificate.NotAfter.ToUniversalTime():u}.",
            stored is not null);
    }
}
