using System.CommandLine;

namespace Signet.Agent.Commands;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Keychain { get; } = new("--keychain")
    {
        Description = "Keychain folder (default: SIGNET_KEYCHAIN, else /var/lib/signet on Linux, /Library/Application Support/Signet on macOS)",
        HelpName = "DIR",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON object for scripts instead of plain lines",
        Recursive = true,
    };
}
