using System.CommandLine;
using System.Diagnostics;
using System.Security;
using Signet.Agent.Keychain;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary><c>signet remove-framework</c>: delete the keychain and configuration, and the daemon unit that runs the
/// agent for this keychain (stopped first). It cannot be undone (enrolling again needs an invitation, or an
/// administrator's approval), so it asks first unless <c>--yes</c> is given, and refuses to guess without a terminal.</summary>
internal static class RemoveFrameworkCommand
{
    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when standard input is not a terminal)" };
        var command = new Command("remove-framework", "Delete the keychain and configuration, and the daemon unit, from this computer") { yes };
        CommandRunner.Bind(command, options, host, (context, parse, _) =>
        {
            var location = context.Keychain.Location;
            var keychainExists = Directory.Exists(location) && Directory.EnumerateFileSystemEntries(location).Any();
            var (unitPath, standard) = InstallDaemonCommand.UnitPath(host);
            var unit = RunsThisKeychain(unitPath, location) ? unitPath : null;
            if (!keychainExists && unit is null)
            {
                context.Output.Result([$"There is no keychain in {location} and no daemon unit for it; nothing to remove."],
                    new { ok = true, keychain = location, removed = false, daemonUnit = (string?)null });
                return Task.CompletedTask;
            }

            var what = string.Join(" and ", new[] { keychainExists ? $"the keychain in {location}" : null, unit is null ? null : $"the daemon unit {unit}" }.OfType<string>());
            if (!parse.GetValue(yes))
            {
                Confirm(context, host, what);
            }

            var notes = new List<string>();
            if (unit is not null)
            {
                var mac = OperatingSystem.IsMacOS();
                if (standard)
                {
                    notes.Add(mac
                        ? RunServiceManager(context, "launchctl", "bootout", "system/" + InstallDaemonCommand.LaunchdLabel)
                        : RunServiceManager(context, "systemctl", "disable", "--now", InstallDaemonCommand.SystemdService));
                }

                File.Delete(unit);
                notes.Add($"Removed the daemon unit {unit}.");
                if (standard && !mac)
                {
                    notes.Add(RunServiceManager(context, "systemctl", "daemon-reload"));
                }
            }

            var removed = context.Keychain.Remove();
            notes.Add(removed ? $"Removed the keychain in {location}." : $"There is no keychain in {location}; nothing else to remove.");
            context.Output.Result(notes, new { ok = true, keychain = location, removed, daemonUnit = unit });
            return Task.CompletedTask;
        });
        return command;
    }

    /// <summary>Asks on the terminal; without one, or when the answer is not yes, nothing is removed.</summary>
    private static void Confirm(AgentContext context, AgentHost host, string what)
    {
        var withYes = context.Next("").Signet("remove-framework", "--yes");
        if (!host.InputIsTerminal || context.Output.Json)
        {
            throw new AgentFailure(ExitCodes.Usage,
                $"remove-framework deletes {what}, and cannot be undone; there is no terminal to confirm it on, so nothing was removed. To go ahead, run {withYes}.");
        }

        context.Output.Prompt($"Delete {what}? This computer then needs a new invitation (or an administrator's approval) to enroll again. [y/N] ");
        var answer = host.Input.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new AgentFailure(ExitCodes.Failure, "Nothing was removed (not confirmed).");
        }
    }

    /// <summary>True when the unit at <paramref name="unitPath"/> runs the daemon for <paramref name="keychain"/> (a
    /// unit for another folder is left alone).</summary>
    private static bool RunsThisKeychain(string unitPath, string keychain)
    {
        if (!File.Exists(unitPath))
        {
            return false;
        }

        var text = File.ReadAllText(unitPath);
        // install-daemon names the folder only when it is not the default one.
        return keychain == KeychainLocation.Default
            ? !text.Contains("--keychain", StringComparison.Ordinal)
            : text.Contains(keychain, StringComparison.Ordinal) || text.Contains(SecurityElement.Escape(keychain), StringComparison.Ordinal);
    }

    /// <summary>Runs launchctl or systemctl; a failure (the service was not loaded, no service manager running) is
    /// noted, not fatal: the unit is removed either way.</summary>
    private static string RunServiceManager(AgentContext context, string program, params string[] arguments)
    {
        var line = $"{program} {string.Join(' ', arguments)}";
        context.Output.Progress($"Running {line} ...");
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? $"Ran `{line}`." : $"`{line}` failed ({error.Result.Trim()}); carried on.";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return $"{program} is not available, so `{line}` was not run; carried on.";
        }
    }
}
