using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Signet.Server.Data;

namespace Signet.Server.Health;

/// <summary><c>/healthz/live</c> (the process serves), <c>/healthz/ready</c> and <c>/healthz</c> (the database and,
/// clustered, the shared replay cache and the event listener): 200 or 503, anonymous, never cached.</summary>
internal static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static WebApplicationBuilder AddSignetHealth(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [ReadyTag], timeout: TimeSpan.FromSeconds(10));
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.IsPostgreSql)
        {
            checks.AddCheck<ReplayCacheHealthCheck>(ReplayCacheHealthCheck.Name, tags: [ReadyTag])
                .AddCheck<ClusterListenerHealthCheck>(ClusterListenerHealthCheck.Name, tags: [ReadyTag]);
        }

        return builder;
    }

    public static WebApplication MapSignetHealth(this WebApplication app)
    {
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync };
        var readOnly = new HttpMethodMetadata([HttpMethods.Get, HttpMethods.Head]);
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).WithMetadata(readOnly);
        app.MapHealthChecks("/healthz/ready", ready).WithMetadata(readOnly);
        app.MapHealthChecks("/healthz", ready).WithMetadata(readOnly);
        return app;
    }

    /// <summary><c>{status, checks: {name: {status, description}}}</c>; the descriptions are fixed sentences, the
    /// errors behind them go to the log.</summary>
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new HealthBody(
            Lower(report.Status),
            report.Entries.ToDictionary(e => e.Key, e => new HealthEntry(Lower(e.Value.Status), e.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Default.HealthBody, context.RequestAborted);
    }

    private static string Lower(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

internal sealed record HealthBody(string Status, Dictionary<string, HealthEntry> Checks);

internal sealed record HealthEntry(string Status, string? Description);

[System.Text.Json.Serialization.JsonSerializable(typeof(HealthBody))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class HealthJson : System.Text.Json.Serialization.JsonSerializerContext;
