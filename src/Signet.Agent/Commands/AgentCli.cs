using System.CommandLine;

namespace Signet.Agent.Commands;

/// <summary>The <c>signet</c> command line: the command tree, and running it with the contract's exit codes.</summary>
internal static class AgentCli
{
    public static RootCommand Build(AgentHost host)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("signet: the Signet management agent")
        {
            options.Keychain,
            options.Json,
            EnrollCommand.Create(options, host),
            CheckInCommand.Create(options, host),
            ReconCommand.Create(options, host),
            RenewCommand.Create(options, host),
            StatusCommand.Create(options, host),
            CheckConnectionCommand.Create(options, host),
            RemoveFrameworkCommand.Create(options, host),
            DaemonCommand.Create(options, host),
            InstallDaemonCommand.Create(options, host),
        };
        return root;
    }

    /// <summary>Parses and runs. Usage errors (unknown option, missing argument, no command) exit 2, not
    /// System.CommandLine's default 1, which the contract reserves for other failures.</summary>
    public static async Task<int> RunAsync(RootCommand root, string[] args, InvocationConfiguration? configuration = null, CancellationToken cancellationToken = default)
    {
        configuration ??= new InvocationConfiguration();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync("signet: " + error.Message).ConfigureAwait(false);
            }

            var command = parse.CommandResult.Command;
            var name = command is RootCommand ? "signet" : "signet " + command.Name;
            await configuration.Error.WriteLineAsync($"Run `{name} --help` for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
