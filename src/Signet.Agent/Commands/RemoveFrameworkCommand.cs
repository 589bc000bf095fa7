using System.CommandLine;

namespace Signet.Agent.Commands;

/// <summary><c>signet remove-framework</c>: delete the keychain and configuration.</summary>
internal static class RemoveFrameworkCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("remove-framework", "Delete the keychain and configuration from this computer");
        CommandRunner.Bind(command, options, host, (context, _, _) =>
        {
            var removed = context.Keychain.Remove();
            context.Output.Result(
                [removed ? $"Removed the keychain in {context.Keychain.Location}." : $"There is no keychain in {context.Keychain.Location}; nothing to remove."],
                new { ok = true, keychain = context.Keychain.Location, removed });
            return Task.CompletedTask;
        });
        return command;
    }
}
