using System.CommandLine;
using System.Security;
using System.Text;
using Signet.Agent.Keychain;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary><c>signet install-daemon</c>: a launchd plist (macOS) or systemd unit (Linux) that runs <c>signet daemon</c>.</summary>
internal static class InstallDaemonCommand
{
    public const string LaunchdPath = "/Library/LaunchDaemons/com.signet.agent.plist";
    public const string SystemdPath = "/etc/systemd/system/signet-agent.service";
    public const string LaunchdLabel = "com.signet.agent";
    public const string SystemdService = "signet-agent.service";

    /// <summary>Overrides where the unit is written and removed (an image being prepared, tests); the service is then
    /// neither started nor stopped, since launchd and systemd know only their own folders.</summary>
    public const string UnitPathVariable = "SIGNET_DAEMON_UNIT";

    /// <summary>The unit file for this OS, and whether it is the one launchd or systemd runs.</summary>
    internal static (string Path, bool Standard) UnitPath(AgentHost host) =>
        host.Environment(UnitPathVariable) is { Length: > 0 } overridden
            ? (Path.GetFullPath(overridden), false)
            : (OperatingSystem.IsMacOS() ? LaunchdPath : SystemdPath, true);

    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var print = new Option<bool>("--print") { Description = "Print the launchd plist or systemd unit instead of installing it" };
        var command = new Command("install-daemon", "Install a launchd daemon (macOS) or systemd service (Linux) that runs `signet daemon`") { print };
        CommandRunner.Bind(command, options, host, (context, parse, _) =>
        {
            // launchd and systemd do not pass SIGNET_KEYCHAIN on, so any non-default folder goes on the command line.
            var location = context.Keychain.Location;
            var arguments = DaemonArguments(location == KeychainLocation.Default ? null : location);
            var mac = OperatingSystem.IsMacOS();
            var (path, _) = UnitPath(host);
            var (text, activate) = mac
                ? (LaunchdPlist(arguments), $"launchctl bootstrap system {path}")
                : (SystemdUnit(arguments), $"systemctl daemon-reload && systemctl enable --now {SystemdService}");

            if (parse.GetValue(print))
            {
                context.Output.Text(text, new { ok = true, path, content = text });
                return Task.CompletedTask;
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
                if (!OperatingSystem.IsWindows())
                {
                    // launchd and systemd want the file root-owned and not writable by others; readable is customary.
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                }
            }
            catch (UnauthorizedAccessException)
            {
                throw new AgentFailure(ExitCodes.Failure, $"Cannot write {path}: permission denied; run `sudo signet install-daemon` (or use --print).");
            }

            context.Output.Result([$"Wrote {path}.", $"Start it with: {activate}"], new { ok = true, path, activate });
            return Task.CompletedTask;
        });
        return command;
    }

    /// <summary>How to start this very agent: the executable that is running (the single-file build installed as
    /// <c>/usr/local/bin/signet</c>), or <c>dotnet signet.dll</c> when run that way. A single-file build has no
    /// assembly file, so the dll is found beside the app rather than through <c>Assembly.Location</c>.</summary>
    internal static List<string> DaemonArguments(string? keychain)
    {
        var arguments = new List<string>();
        var process = Environment.ProcessPath ?? "signet";
        arguments.Add(process);
        if (Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            arguments.Add(Path.Combine(AppContext.BaseDirectory, typeof(InstallDaemonCommand).Assembly.GetName().Name + ".dll"));
        }

        arguments.Add("daemon");
        if (keychain is not null)
        {
            arguments.Add("--keychain");
            arguments.Add(keychain);
        }

        return arguments;
    }

    internal static string SystemdUnit(IReadOnlyList<string> arguments) =>
        $"""
        [Unit]
        Description=Signet management agent
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=simple
        ExecStart={string.Join(' ', arguments.Select(SystemdQuote))}
        Restart=on-failure
        RestartSec=60

        [Install]
        WantedBy=multi-user.target

        """;

    internal static string LaunchdPlist(IReadOnlyList<string> arguments)
    {
        var items = string.Join("\n", arguments.Select(a => $"        <string>{SecurityElement.Escape(a)}</string>"));
        return $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
                <key>Label</key>
                <string>com.signet.agent</string>
                <key>ProgramArguments</key>
                <array>
            {items}
                </array>
                <key>RunAtLoad</key>
                <true/>
                <key>KeepAlive</key>
                <true/>
                <key>StandardOutPath</key>
                <string>/var/log/signet.log</string>
                <key>StandardErrorPath</key>
                <string>/var/log/signet.log</string>
            </dict>
            </plist>

            """;
    }

    private static string SystemdQuote(string argument) =>
        argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '%' or '$')
            ? "\"" + argument.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
                .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal) + "\""
            : argument.Replace("%", "%%", StringComparison.Ordinal);
}
