namespace Signet.Server.Hosting;

/// <summary>A start the server refuses for a reason the operator can fix (a data folder or master key others can
/// read); the message is the one line that says what to do.</summary>
internal sealed class StartRefusedException : Exception
{
    private static int _handlerInstalled;

    public StartRefusedException()
    {
    }

    public StartRefusedException(string message) : base(message)
    {
    }

    public StartRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Makes a refusal that escapes <c>Main</c> end the process with exit code 1 and its one line on standard
    /// error, instead of the runtime's stack trace. Test hosts catch the exception before it escapes, so they see it
    /// as any other start failure.</summary>
    public static void ExitWithOneLineWhenUnhandled()
    {
        if (Interlocked.Exchange(ref _handlerInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                for (var exception = e.ExceptionObject as Exception; exception is not null; exception = exception.InnerException)
                {
                    if (exception is StartRefusedException refused)
                    {
                        Console.Error.WriteLine(refused.Message);
                        Console.Error.Flush();
                        Environment.Exit(1);
                    }
                }
            };
        }
    }
}
