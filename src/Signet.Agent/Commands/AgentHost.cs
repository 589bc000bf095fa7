namespace Signet.Agent.Commands;

/// <summary>What the agent takes from its surroundings, so tests can run commands in-process with their own.</summary>
internal sealed record AgentHost(Func<string, string?> Environment, TimeProvider Time)
{
    public static AgentHost System { get; } = new(global::System.Environment.GetEnvironmentVariable, TimeProvider.System)
    {
        Input = Console.In,
        InputIsTerminal = !Console.IsInputRedirected,
    };

    /// <summary>Where a confirmation is read from.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>True when a person can answer a question on <see cref="Input"/>; without one a command that would ask
    /// needs its <c>--yes</c>.</summary>
    public bool InputIsTerminal { get; init; }
}
