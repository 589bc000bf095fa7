namespace Signet.Agent.Commands;

/// <summary>What the agent takes from its surroundings, so tests can run commands in-process with their own.</summary>
internal sealed record AgentHost(Func<string, string?> Environment, TimeProvider Time)
{
    public static AgentHost System { get; } = new(global::System.Environment.GetEnvironmentVariable, TimeProvider.System);
}
