using System.CommandLine;
using System.Security.Cryptography;
using Signet.Agent.Keychain.Files;
using Signet.Agent.Outcomes;

namespace Signet.Agent.Commands;

/// <summary>Runs a command body and turns every expected failure into its one line and exit code.</summary>
internal static class CommandRunner
{
    public static void Bind(Command command, GlobalOptions options, AgentHost host, Func<AgentContext, ParseResult, CancellationToken, Task> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var context = new AgentContext(parse, options, host);
            try
            {
                await body(context, parse, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (Exception e) when (ToFailure(e, context, cancellationToken) is { } failure)
            {
                context.RecordRefusal(failure);
                if (!failure.Reported)
                {
                    context.Output.Failure(failure);
                }

                return failure.ExitCode;
            }
        });

    /// <summary>The failure to report, or null for an exception that is a bug (left to escape with its stack trace).</summary>
    internal static AgentFailure? ToFailure(Exception exception, AgentContext context, CancellationToken cancellationToken) => exception switch
    {
        AgentFailure failure => failure,
        // Requests map their own failures; this catches a connection lost while a response body is being read.
        HttpRequestException => new AgentFailure(ExitCodes.ServerUnreachable,
            $"The connection to the server broke off ({exception.Message}); check the network and try again."),
        KeychainException keychain => new AgentFailure(ExitCodes.Failure, keychain.Message),
        UnauthorizedAccessException => new AgentFailure(ExitCodes.Failure,
            $"Permission denied on the keychain at {context.Keychain.Location} ({exception.Message}); run as root (sudo) or pass --keychain DIR."),
        IOException => new AgentFailure(ExitCodes.Failure,
            $"Cannot read or write the keychain at {context.Keychain.Location} ({exception.Message}); check the disk and the folder."),
        CryptographicException => new AgentFailure(ExitCodes.Failure,
            $"A cryptographic operation failed ({exception.Message}); the keychain in {context.Keychain.Location} may be damaged: remove it with `signet remove-framework` and re-enroll."),
        OperationCanceledException when cancellationToken.IsCancellationRequested => new AgentFailure(ExitCodes.Failure, "Interrupted."),
        _ => null,
    };
}
