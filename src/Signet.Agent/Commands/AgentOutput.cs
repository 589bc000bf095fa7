using System.Text.Json;
using Signet.Agent.Outcomes;
using Signet.Protocol.Wire;

namespace Signet.Agent.Commands;

/// <summary>How commands speak: plain lines by default; with <c>--json</c> exactly one JSON object per result on
/// standard output and nothing else there. Progress goes to standard error and only in plain mode.</summary>
internal sealed class AgentOutput(TextWriter output, TextWriter error, bool json)
{
    private static readonly JsonSerializerOptions JsonOptions = new(SignetJson.Options)
    {
        WriteIndented = false,
        // Output goes to terminals and scripts, not HTML: keep `<url>` and backticks readable.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool Json => json;

    public void Progress(string message)
    {
        if (!json)
        {
            error.WriteLine(message);
        }
    }

    /// <summary>A question for the person at the terminal, on standard error so standard output stays the result.</summary>
    public void Prompt(string question)
    {
        error.Write(question);
        error.Flush();
    }

    /// <summary>A command's result: <paramref name="lines"/> in plain mode, <paramref name="value"/> in JSON mode.</summary>
    public void Result(IEnumerable<string> lines, object value)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
            return;
        }

        foreach (var line in lines)
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Raw text (e.g. a unit file for <c>install-daemon --print</c>), in both modes wrapped appropriately.</summary>
    public void Text(string text, object value)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(value, JsonOptions));
        }
        else
        {
            output.Write(text.EndsWith('\n') ? text : text + "\n");
        }
    }

    public void Failure(AgentFailure failure)
    {
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(
                new { ok = false, exitCode = failure.ExitCode, problem = failure.Problem is { } code ? Protocol.ProblemCodes.ToSlug(code) : null, error = failure.Message },
                JsonOptions));
        }
        else
        {
            error.WriteLine("signet: " + failure.Message);
        }
    }
}
