using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Signet.Protocol;
using Signet.Server.Problems;

namespace Signet.Server.ApiDocumentation;

/// <summary>Gives every operation its problem responses, derived from what the endpoint is (its authentication, its
/// route parameters, its body, its rate limit) plus the codes it declares with <c>ProducesProblems</c>; each response
/// lists its <c>urn:signet:problem:*</c> codes and refers to the one problem-details schema.</summary>
internal sealed class ProblemResponses : IOpenApiOperationTransformer, IOpenApiDocumentTransformer
{
    public const string SchemaName = "ProblemDetails";
    private const string MediaType = "application/problem+json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var scheme = SecuritySchemes.SchemeOf(metadata);
        var problems = new List<ProblemResponsesMetadata> { Of(ProblemCode.ServerError) };
        if (scheme == SecuritySchemes.AdminBearer)
        {
            // A missing, expired or forged token; a console cookie from another origin.
            problems.Add(new(StatusCodes.Status401Unauthorized, ProblemCode.ValidationFailed));
            problems.Add(new(StatusCodes.Status403Forbidden, ProblemCode.ValidationFailed));
        }

        if (scheme == SecuritySchemes.DeviceSignature)
        {
            problems.AddRange(ProblemCatalog.All.Where(e => e.Status == StatusCodes.Status401Unauthorized).Select(e => Of(e.Code)));
            problems.Add(Of(ProblemCode.ServiceUnavailable));
        }

        if (description.ParameterDescriptions.Count > 0 || operation.RequestBody is not null)
        {
            problems.Add(Of(ProblemCode.ValidationFailed));
        }

        if (description.ParameterDescriptions.Any(p => p.Source.Id == "Path"))
        {
            problems.Add(Of(ProblemCode.NotFound));
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            problems.Add(Of(ProblemCode.RateLimited));
        }

        problems.AddRange(metadata.OfType<ProblemResponsesMetadata>());
        operation.Responses ??= [];
        foreach (var status in problems.GroupBy(p => p.Status).OrderBy(g => g.Key))
        {
            var key = status.Key.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var slugs = string.Join(", ", status.Select(p => ProblemCatalog.Of(p.Code).Slug).Distinct());
            operation.Responses[key] = new OpenApiResponse
            {
                Description = $"Problem details (type urn:signet:problem:<code>): {slugs}",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [MediaType] = new() { Schema = new OpenApiSchemaReference(SchemaName, context.Document) },
                },
            };
        }

        return Task.CompletedTask;
    }

    /// <summary>Registers the one schema every problem response refers to: RFC 9457 fields, plus <c>errors</c> per
    /// field for <c>validation-failed</c>.</summary>
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[SchemaName] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details. type is urn:signet:problem:<code>; detail says what happened and what to do.",
            Required = new HashSet<string> { "type", "title", "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Examples = ["urn:signet:problem:validation-failed"] },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "validation-failed only: the fields at fault, each with its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
        return Task.CompletedTask;
    }

    private static ProblemResponsesMetadata Of(ProblemCode code) => new(ProblemCatalog.Of(code).Status, code);
}
