using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Signet.Protocol;
using Signet.Server.AdminApi;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.ApiDocumentation;

/// <summary>The two ways a caller proves who it is: an administrator's bearer token and a computer's signature under
/// the <c>signet-device</c> profile. Each operation names the one its endpoint requires.</summary>
internal sealed class SecuritySchemes : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string AdminBearer = "AdminBearer";
    public const string DeviceSignature = "DeviceSignature";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[AdminBearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An administrator's token from POST /api/v1/auth/token, sent as Authorization: Bearer <token>.",
        };
        document.Components.SecuritySchemes[DeviceSignature] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = SignetHeaders.Signature,
            Description = "An RFC 9421 HTTP message signature by the computer's device key (the signet-device profile): " +
                "Signet-Device, Content-Digest (RFC 9530), Signature-Input and Signature, covering \"@method\" \"@authority\" " +
                "\"@path\" \"@query\" \"content-digest\" \"signet-device\" with created, nonce, keyid (lowercase hex SHA-256 " +
                "of the device certificate) and alg. With certificate-based communication disabled an unsigned request " +
                "naming an enrolled computer is still served.",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (SchemeOf(context.Description.ActionDescriptor.EndpointMetadata) is { } scheme)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        return Task.CompletedTask;
    }

    /// <summary>The scheme an endpoint requires, from its authorization metadata; null for a public endpoint.</summary>
    public static string? SchemeOf(IList<object> metadata)
    {
        var policies = metadata.OfType<IAuthorizeData>().ToList();
        if (policies.Any(p => p.Policy == AdminApiExtensions.Policy || p.AuthenticationSchemes == AdminBearerHandler.SchemeName))
        {
            return AdminBearer;
        }

        return policies.Any(p => p.Policy == DeviceSignatureDefaults.Policy) || metadata.OfType<RequireDeviceSignatureMetadata>().Any()
            ? DeviceSignature
            : null;
    }
}
