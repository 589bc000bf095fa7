using Signet.Server.Hosting;

namespace Signet.Server.Lifecycle;

/// <summary>Who asks for a lifecycle change and from where, for the audit log.</summary>
internal sealed record LifecycleActor(string Name, string SourceAddress)
{
    public static LifecycleActor Agent(string sourceAddress) => new("agent", sourceAddress);

    /// <summary>The agent behind an agent API request.</summary>
    public static LifecycleActor Agent(HttpContext context) => Agent(ClientAddress.Of(context));

    /// <summary>The administrator behind an admin API request or console page.</summary>
    public static LifecycleActor Admin(HttpContext context) => new(context.User.Identity?.Name ?? "unknown", ClientAddress.Of(context));
}
