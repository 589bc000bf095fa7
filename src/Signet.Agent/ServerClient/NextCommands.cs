using System.Text.RegularExpressions;

namespace Signet.Agent.ServerClient;

/// <summary>The commands a message tells the person at the computer to run next, written out for this server and
/// keychain so they can be copied as they are: the real server URL, and <c>--keychain</c> when one was given.</summary>
/// <param name="ServerUrl">The server the command talks to.</param>
/// <param name="Keychain">The <c>--keychain</c> value as given; null when the default folder applies.</param>
internal sealed partial record NextCommands(string ServerUrl, string? Keychain)
{
    /// <summary>The hardware UUID the keychain was enrolled as, when it is not this computer's (the keychain was copied
    /// here, or the hardware UUID changed); null when they agree or it is not known.</summary>
    public string? KeychainUdid { get; init; }

    /// <summary>This computer's hardware UUID as read now, set together with <see cref="KeychainUdid"/>.</summary>
    public string? ThisUdid { get; init; }

    /// <summary>The arguments of the command being run (without <c>--keychain</c>), for a message whose remedy is to run
    /// it again with one thing changed; null when the command does not say.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary><c>signet enroll</c> for this server with an invitation still to be asked for.</summary>
    public string Enroll => Signet("enroll", "--server", ServerUrl, "--invitation", "<code>");

    /// <summary><c>signet ARGUMENTS… [--keychain DIR]</c> in backticks, each argument quoted for a POSIX shell where
    /// needed; placeholders such as <c>&lt;code&gt;</c> are left as they are. Null arguments are skipped.</summary>
    public string Signet(params string?[] arguments) =>
        Line([.. arguments.OfType<string>(), .. Keychain is null ? [] : new[] { "--keychain", Keychain }]);

    /// <summary><c>signet ARGUMENTS…</c> in backticks exactly as given (they already carry any <c>--keychain</c>).</summary>
    public static string Line(IEnumerable<string> arguments) => "`" + string.Join(' ', arguments.Prepend("signet").Select(Quote)) + "`";

    private static string Quote(string word) =>
        Placeholder().IsMatch(word) || Plain().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^<[a-z-]+>$")]
    private static partial Regex Placeholder();

    [GeneratedRegex("^[A-Za-z0-9_./:@%+=,-]+$")]
    private static partial Regex Plain();
}
