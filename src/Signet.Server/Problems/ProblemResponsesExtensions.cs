using Signet.Protocol;

namespace Signet.Server.Problems;

/// <summary>Endpoint metadata naming the problems an endpoint may answer, for the API documentation.</summary>
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
