using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Signet.Server.Observability;

/// <summary>Who may read <c>/metrics</c>: a client on loopback or in <see cref="MetricsOptions.AllowedNetworks"/> (a
/// Prometheus server), or an administrator's bearer token from anywhere. The figures name no computer, but they tell
/// an outsider how many computers there are and how many requests are refused, so they are not public.</summary>
internal sealed class MetricsReaders(IOptions<MetricsOptions> options) : AuthorizationHandler<MetricsReaders.Requirement>
{
    public const string Policy = "MetricsReader";

    private readonly IPNetwork[] _networks = [.. options.Value.AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim()))];

    /// <summary>The policy's one requirement, met by this handler.</summary>
    internal sealed class Requirement : IAuthorizationRequirement;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
    {
        var address = (context.Resource as HttpContext)?.Connection.RemoteIpAddress;
        if (context.User.Identity?.IsAuthenticated == true || address is not null && IsAllowed(address))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    private bool IsAllowed(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return IPAddress.IsLoopback(plain) || _networks.Any(n => n.Contains(plain));
    }
}
