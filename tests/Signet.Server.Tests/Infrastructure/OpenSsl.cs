namespace Signet.Server.Tests.Infrastructure;

/// <summary>Runs the real openssl program.</summary>
public static class OpenSsl
{
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var result = await ProgramRun.RunAsync("openssl", arguments);
        return (result.ExitCode, result.AllOutput);
    }
}
