using System.CommandLine;
using Signet.Agent.Outcomes;
using Signet.Agent.ServerClient;

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
        HelpExamples.Add(root);
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
            if (Suggestion(command, parse.UnmatchedTokens, args) is { } suggestion)
            {
                await configuration.Error.WriteLineAsync($"Did you mean {suggestion}?").ConfigureAwait(false);
            }

            var name = command is RootCommand ? "signet" : "signet " + command.Name;
            await configuration.Error.WriteLineAsync($"Run `{name} --help` for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The command line with a mistyped command or option replaced by the nearest one the command knows
    /// (<c>enrol</c> → <c>enroll</c>, <c>--sever</c> → <c>--server</c>); null when no token is close to one.</summary>
    internal static string? Suggestion(Command command, IReadOnlyList<string> unmatched, string[] args)
    {
        var corrected = args.ToArray();
        var changed = false;
        foreach (var token in unmatched)
        {
            var names = token.StartsWith('-')
                ? command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive))
                    .SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Select(c => c.Name);
            var best = names.Select(n => (Name: n, Distance: Distance(token, n))).OrderBy(c => c.Distance).FirstOrDefault();
            // Close means at most a third of the word, and one or two edits: "enrol" → "enroll" yes, "xyz" → "recon" no.
            var index = Array.IndexOf(corrected, token);
            if (best.Name is not null && best.Distance <= Math.Min(2, Math.Max(1, token.Length / 3)) && index >= 0)
            {
                corrected[index] = best.Name;
                changed = true;
            }
        }

        return changed ? NextCommands.Line(corrected) : null;
    }

    /// <summary>Levenshtein distance, case-insensitive.</summary>
    private static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
