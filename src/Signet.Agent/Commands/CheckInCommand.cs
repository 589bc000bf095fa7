using System.CommandLine;
using Signet.Agent.Outcomes;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary><c>signet checkin</c>: a signed check-in, then the actions the server asks for. Work left unfinished by an
/// earlier run comes first or with it: an enrollment held for approval is asked after (and stored once approved), and a
/// renewal whose answer was lost is finished.</summary>
internal static class CheckInCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("checkin", "Check in with the server (signed) and carry out the actions it returns");
        CommandRunner.Bind(command, options, host, async (context, _, cancellationToken) =>
        {
            var result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            context.Output.Result(result.Lines, result.Json);
        });
        return command;
    }

    internal sealed record CheckInResult(int CheckInIntervalSeconds, IReadOnlyList<string> Lines, object Json);

    internal static async Task<CheckInResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        var enrolled = await EnrollmentCompletion.FinishPendingAsync(context, cancellationToken).ConfigureAwait(false);
        CheckInResponse response;
        AgentFailure? signature;
        bool renewalDue, renewalPending;
        string serverUrl;
        using (var credentials = context.OpenCredentials())
        {
            renewalPending = credentials.RenewalPending;
            serverUrl = credentials.Config.ServerUrl;
            using (var client = context.SignedClient(credentials))
            {
                response = await client.CheckInAsync(new CheckInRequest(AgentContext.AgentVersion), cancellationToken).ConfigureAwait(false);
                signature = client.SignatureVerdict(response);
            }

            context.RecordContact(credentials.Config, response.CheckInIntervalSeconds, response.Signature);
            renewalDue = Certificates.IsDueForRenewal(credentials.Certificate, context.Time.GetUtcNow());
        }

        var lines = new List<string>();
        if (enrolled is not null)
        {
            lines.Add($"{enrolled.Summary} (finished the enrollment in progress)");
        }

        lines.Add($"Checked in with {serverUrl} as computer {response.ComputerId}.");
        if (signature is not null)
        {
            // Served, so the check-in succeeded; but this computer is one switch away from being locked out.
            lines.Add("Warning: " + signature.Message);
        }

        var actions = response.Actions ?? [];
        ReconCommand.ReconResult? inventory = null;
        RenewCommand.RenewResult? renewal = null;

        // Inventory first: a renewal replaces the key the inventory would be signed with.
        if (actions.Contains(AgentActions.Inventory))
        {
            inventory = await ReconCommand.RunAsync(context, cancellationToken).ConfigureAwait(false);
            lines.Add(inventory.Summary);
        }

        // A pending renewal key means an earlier renewal's answer was lost: fetch its certificate now, asked or not.
        if (actions.Contains(AgentActions.Renew) || renewalDue || renewalPending)
        {
            renewal = await RenewCommand.RunAsync(context, cancellationToken).ConfigureAwait(false);
            lines.Add(renewal.Summary + (
                renewal.Resumed ? " (finishing a renewal that was interrupted)"
                : actions.Contains(AgentActions.Renew) ? ""
                : " (two-thirds of its lifetime had passed)"));
        }

        foreach (var unknown in actions.Where(a => a is not (AgentActions.Inventory or AgentActions.Renew)))
        {
            lines.Add($"Ignored the action '{unknown}', which this agent version does not know.");
        }

        lines.Add($"Next check-in in {response.CheckInIntervalSeconds} seconds.");
        return new CheckInResult(response.CheckInIntervalSeconds, lines, new
        {
            ok = true,
            server = serverUrl,
            enrolled = enrolled?.Certificate,
            computerId = response.ComputerId,
            signature = response.Signature,
            actions,
            inventory,
            renewed = renewal?.Certificate,
            checkInIntervalSeconds = response.CheckInIntervalSeconds,
        });
    }
}
