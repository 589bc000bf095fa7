using System.CommandLine;
using System.Security.Cryptography;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary><c>signet daemon</c>: check in at the server's interval (±10% jitter) until SIGTERM or SIGINT. An
/// enrollment held for approval is asked after at the server's poll interval and, once approved, checked in with.</summary>
internal static class DaemonCommand
{
    private const int DefaultIntervalSeconds = 900;
    private const int MinimumIntervalSeconds = 10;

    public static Command Create(GlobalOptions options, AgentHost host)
    {
        var command = new Command("daemon", "Check in periodically until stopped (run by launchd or systemd)");
        CommandRunner.Bind(command, options, host, RunAsync);
        return command;
    }

    private static async Task RunAsync(AgentContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        int interval;
        using (var credentials = context.Keychain.Open())
        {
            if (credentials is null)
            {
                using var pending = context.Keychain.OpenPendingEnrollment();
                if (pending is null)
                {
                    throw context.NotEnrolled();
                }
            }

            interval = credentials?.Config.CheckInIntervalSeconds ?? DefaultIntervalSeconds;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                var result = await CheckInCommand.RunAsync(context, cancellationToken).ConfigureAwait(false);
                interval = result.CheckInIntervalSeconds;
                delay = WithJitter(interval);
                context.Output.Result([$"{context.Time.GetUtcNow():u} {string.Join(" ", result.Lines)}"], result.Json);
            }
            catch (AgentFailure failure) when (failure.ExitCode is not (ExitCodes.NotEnrolled or ExitCodes.EnrollmentRefused))
            {
                // A refused or unreachable check-in is retried at the next interval (a held enrollment at the server's
                // poll interval); a missing keychain, or an enrollment refused for good, ends the daemon.
                context.Output.Failure(failure);
                context.RecordRefusal(failure);
                delay = failure.RetryAfter ?? WithJitter(interval);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await Task.Delay(delay, context.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The interval ±10%, so a fleet started together does not check in in lockstep.</summary>
    internal static TimeSpan WithJitter(int intervalSeconds)
    {
        var milliseconds = Math.Max(intervalSeconds, MinimumIntervalSeconds) * 1000L;
        var spread = milliseconds / 10;
        return TimeSpan.FromMilliseconds(milliseconds - spread + RandomNumberGenerator.GetInt32(0, (int)Math.Min(int.MaxValue, (2 * spread) + 1)));
    }
}
