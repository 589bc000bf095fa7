using Signet.Protocol;

namespace Signet.Server.ApiDocumentation;

/// <summary>A problem an endpoint answers beyond those its authentication, parameters and body already imply
/// (<see cref="ProblemResponses"/> adds those).</summary>
internal sealed record ProblemResponsesMetadata(int Status, ProblemCode Code);

internal static class ProblemResponsesExtensions
{
    /// <summary>Documents problem codes this endpoint may answer, each with the catalog's status.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params ProblemCode[] codes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var code in codes)
        {
            builder.ProducesProblem(code, ProblemCatalog.Of(code).Status);
        }

        return builder;
    }

    /// <summary>Documents a problem code this endpoint answers with another status than the catalog's.</summary>
    public static TBuilder ProducesProblem<TBuilder>(this TBuilder builder, ProblemCode code, int status) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemResponsesMetadata(status, code));
}
