using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Signet.Server.AdminApi;

namespace Signet.Server.Observability;

/// <summary>Metrics at <c>/metrics</c> (Prometheus text format, OpenTelemetry) and traces of HTTP requests, the agent
/// API's tagged with the computer id, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddSignetObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n.Trim(), out _)),
                "Signet:Metrics:AllowedNetworks must be CIDR networks such as 10.0.0.0/24.")
            .Validate(o => o.SampleInterval >= TimeSpan.FromSeconds(1), "Signet:Metrics:SampleInterval must be at least 1 second.")
            .ValidateOnStart();
        builder.Services.AddSingleton<SignetMetrics>();
        builder.Services.AddSingleton<DatabaseLatencyInterceptor>();
        builder.Services.AddSingleton<LifecycleMetricsInterceptor>();
        // Every Signet context picks these up (Data/), in this order.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, DatabaseLatencyInterceptor>(
            services => services.GetRequiredService<DatabaseLatencyInterceptor>()));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IInterceptor, LifecycleMetricsInterceptor>(
            services => services.GetRequiredService<LifecycleMetricsInterceptor>()));
        builder.Services.AddSingleton<LifecycleGauges>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LifecycleGauges>());

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter(SignetMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context =>
                    !context.Request.Path.StartsWithSegments(MetricsPath) && !context.Request.Path.StartsWithSegments("/healthz"))
                .AddOtlpExporter());
        }

        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, MetricsReaders>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(MetricsReaders.Policy, policy => policy
                .AddAuthenticationSchemes(AdminBearerHandler.SchemeName)
                .AddRequirements(new MetricsReaders.Requirement()));
        return builder;
    }

    public static WebApplication MapSignetMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(MetricsReaders.Policy);
        return app;
    }
}
