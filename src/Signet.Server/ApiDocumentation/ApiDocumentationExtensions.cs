using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;

namespace Signet.Server.ApiDocumentation;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and an interactive reference page over it at
/// <c>/api/reference</c>, served with its own assets (nothing is loaded from another site).</summary>
internal static class ApiDocumentationExtensions
{
    public const string ReferencePath = "/api/reference";

    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Signet";
                document.Info.Description = "The agent API (computers, signed under the signet-device profile) and the admin API " +
                    "(administrators, bearer token). Errors are RFC 9457 problem details whose type is urn:signet:problem:<code>.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<SecuritySchemes>();
            options.AddOperationTransformer<SecuritySchemes>();
            options.AddDocumentTransformer<ProblemResponses>();
            options.AddOperationTransformer<ProblemResponses>();
            options.AddSchemaTransformer<AgentApiExamples>();
            // An anonymous type (a one-off response shape) is written inline rather than under a made-up name.
            options.CreateSchemaReferenceId = type => type.Type.Name.Contains("AnonymousType", StringComparison.Ordinal)
                ? null
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Signet API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableDefaultFonts()
            .DisableTelemetry());
        return app;
    }
}
