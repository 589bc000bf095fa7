using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Signet.Agent.Commands;

/// <summary><c>--help</c> as System.CommandLine writes it, followed by examples of the command asked about.</summary>
internal sealed class HelpExamples(HelpAction help) : SynchronousCommandLineAction
{
    private static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        ["signet"] =
        [
            "signet enroll --server https://signet.example.com:8443 --invitation <code> --ca-fingerprint <fingerprint>",
            "signet status --online",
            "signet checkin --keychain /srv/signet",
        ],
        ["enroll"] =
        [
            "# the URL, invitation and CA fingerprint come from the administrator (the console shows the whole line)",
            "signet enroll --server https://signet.example.com:8443 --invitation <code> --ca-fingerprint <fingerprint>",
            "# wait up to ten minutes for an administrator to approve an enrollment the server holds",
            "signet enroll --wait 600",
        ],
        ["checkin"] = ["signet checkin", "signet checkin --json"],
        ["recon"] = ["signet recon"],
        ["renew"] = ["signet renew"],
        ["status"] =
        [
            "signet status            # from the keychain, without the network",
            "signet status --online   # and ask the server whether it accepts this computer now",
        ],
        ["check-connection"] = ["signet check-connection"],
        ["remove-framework"] = ["signet remove-framework         # asks before deleting", "signet remove-framework --yes   # in scripts"],
        ["daemon"] = ["signet daemon --keychain /srv/signet"],
        ["install-daemon"] = ["sudo signet install-daemon", "signet install-daemon --print --keychain /srv/signet"],
    };

    /// <summary>Puts the examples behind the root command's help option (it applies to every subcommand).</summary>
    public static void Add(RootCommand root)
    {
        var option = root.Options.OfType<HelpOption>().Single();
        option.Action = new HelpExamples((HelpAction)option.Action!);
    }

    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = help.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        if (Examples.TryGetValue(command is RootCommand ? "signet" : command.Name, out var examples))
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine("  " + example);
            }

            output.WriteLine();
        }

        return exitCode;
    }
}
