using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Signet.Server.Hosting;

/// <summary>Turns a start that fails into one line on standard error and an exit code (<see cref="ServerExitCodes"/>),
/// never the runtime's stack trace. Test hosts catch the exception before it escapes <c>Main</c>, so they see it as
/// any other start failure.</summary>
internal static class StartFailure
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";
    private static int _handlerInstalled;
    private static volatile bool _started;

    /// <summary>Installs the handler for an exception escaping <c>Main</c>, and holds back the host's own
    /// "Hosting failed to start" error (a stack trace) until the server has started: the line below replaces it.</summary>
    public static WebApplicationBuilder ExitWithOneLineOnFailure(this WebApplicationBuilder builder)
    {
        if (Interlocked.Exchange(ref _handlerInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                var (exitCode, line) = Describe(e.ExceptionObject as Exception);
                Console.Error.WriteLine(line);
                Console.Error.Flush();
                Environment.Exit(exitCode);
            };
        }

        if (builder.Configuration[$"Logging:LogLevel:{HostCategory}"] is null)
        {
            builder.Logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level < LogLevel.Error || _started));
        }

        return builder;
    }

    /// <summary>From here on the host's errors are the running server's: log them as they come.</summary>
    public static void Started() => _started = true;

    /// <summary>The exit code and the one line for a start that failed with <paramref name="exception"/>.</summary>
    public static (int ExitCode, string Line) Describe(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case StartRefusedException refused:
                    return (refused.ExitCode, refused.Message);
                case OptionsValidationException invalid:
                    return (ServerExitCodes.Configuration, "Invalid setting: " + string.Join(" ", invalid.Failures));
                case AddressInUseException:
                    return (ServerExitCodes.Listen,
                        $"Cannot listen: {exception!.Message} Stop the program using that port, or set --urls (ASPNETCORE_URLS) to a free address.");
                case SocketException { SocketErrorCode: SocketError.AccessDenied or SocketError.AddressNotAvailable }:
                    return (ServerExitCodes.Listen,
                        $"Cannot listen: {exception!.Message} Set --urls (ASPNETCORE_URLS) to an address of this machine the server's user may bind (ports below 1024 need CAP_NET_BIND_SERVICE).");
                case DbException database:
                    return (ServerExitCodes.Database, DescribeDatabase(database));
            }
        }

        return exception switch
        {
            UnauthorizedAccessException or IOException =>
                (ServerExitCodes.DataFolder, $"Cannot use the data folder: {exception.Message} Set Signet:DataDirectory (Signet__DataDirectory) to a folder the server's user owns."),
            null => (ServerExitCodes.Failed, "signet-server failed to start."),
            _ => (ServerExitCodes.Failed, $"signet-server failed to start: {exception.GetType().Name}: {exception.Message}"),
        };
    }

    private static string DescribeDatabase(DbException e) => e.GetType().Namespace switch
    {
        "Microsoft.Data.Sqlite" =>
            $"Cannot open the SQLite database in the data folder: {e.Message}. Check that signet.db in Signet:DataDirectory (Signet__DataDirectory) is readable and writable by the server's user.",
        _ =>
            $"Cannot reach the PostgreSQL database: {e.Message}. Check ConnectionStrings:Signet (ConnectionStrings__Signet) and that the database is running and accepts this user.",
    };
}
