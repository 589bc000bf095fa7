namespace Signet.Server.Computers;

internal static class ComputersExtensions
{
    /// <summary>The computers list, its filters and the fleet overview; the agent API's endpoints need nothing more.</summary>
    public static WebApplicationBuilder AddComputers(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ComputerQueries>();
        builder.Services.AddScoped<FleetOverviewQuery>();
        return builder;
    }
}
