using System.Text;

namespace Signet.Testing.Processes;

/// <summary>The lines a running process printed, for failure messages; the oldest are dropped past a limit, so a long
/// benchmark run does not keep everything.</summary>
public sealed class OutputLog(int maximumLines = 10_000)
{
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > maximumLines)
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_lines)
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                text.AppendLine(line);
            }

            return text.ToString();
        }
    }
}
