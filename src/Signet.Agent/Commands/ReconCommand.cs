using System.CommandLine;
using Signet.Agent.Inventory;

namespace Signet.Agent.Commands;

/// <summary><c>signet recon</c>: collect the inventory and send it, signed.</summary>
internal static class ReconCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("recon", "Collect this computer's inventory and send it to the server");
        CommandRunner.Bind(command, options, host, async (context, _, cancellationToken) =>
        {
            var result = await RunAsync(context, cancellationToken).ConfigureAwait(false);
            context.Output.Result([result.Summary], new { ok = true, inventory = result });
        });
        return command;
    }

    internal sealed record ReconResult(int Applications, int LocalUsers, int Disks, int NetworkInterfaces, int Bytes, bool Truncated, string Summary);

    internal static async Task<ReconResult> RunAsync(AgentContext context, CancellationToken cancellationToken)
    {
        using var credentials = context.OpenCredentials();
        var identity = context.ReadIdentity();
        var document = new InventoryCollector(context.Time, identity).Collect();
        using (var client = context.SignedClient(credentials))
        {
            await client.SendInventoryAsync(document, cancellationToken).ConfigureAwait(false);
        }

        context.RecordContact(credentials.Config);
        var size = InventoryCollector.Size(document);
        var summary = $"Sent inventory to {credentials.Config.ServerUrl}: {document.Applications.Count} applications, " +
            $"{document.LocalUsers.Count} users, {document.Disks.Count} disks, {document.NetworkInterfaces.Count} network interfaces ({size} bytes" +
            (document.Truncated ? ", applications truncated to fit)." : ").");
        return new ReconResult(document.Applications.Count, document.LocalUsers.Count, document.Disks.Count, document.NetworkInterfaces.Count, size, document.Truncated, summary);
    }
}
