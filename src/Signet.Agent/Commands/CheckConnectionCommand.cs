using System.CommandLine;
using Signet.Agent.Outcomes;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet check-connection</c>: can the server be reached, and does it accept our signature.</summary>
internal static class CheckConnectionCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("check-connection", "Check that the server can be reached and accepts this computer's signature");
        CommandRunner.Bind(command, options, host, async (context, _, cancellationToken) =>
        {
            using var credentials = context.OpenCredentials();
            // A check-in is the cheapest signed request the agent API has; its actions are reported, not carried out.
            // With certificate-based communication off the server serves even a bad signature; it says how it judged
            // the signature, and a signature it would refuse is reported as refused (exit 4).
            CheckInResponse response;
            AgentFailure? refused;
            using (var client = context.SignedClient(credentials))
            {
                response = await client.CheckInAsync(new CheckInRequest(AgentContext.AgentVersion), cancellationToken).ConfigureAwait(false);
                refused = client.SignatureVerdict(response);
            }

            context.RecordContact(credentials.Config, response.CheckInIntervalSeconds, response.Signature);
            if (refused is not null)
            {
                throw refused;
            }

            var pending = response.Actions ?? [];
            context.Output.Result(
                [
                    $"The server at {credentials.Config.ServerUrl} is reachable and accepted this computer's signed request (computer {response.ComputerId}).",
                    .. pending.Count > 0 ? [$"Pending actions: {string.Join(", ", pending)} (run `signet checkin` to carry them out)."] : Array.Empty<string>(),
                ],
                new { ok = true, server = credentials.Config.ServerUrl, computerId = response.ComputerId, signedRequestAccepted = true, pendingActions = pending });
        });
        return command;
    }
}
