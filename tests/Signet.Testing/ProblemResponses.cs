using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Signet.Protocol;

namespace Signet.Testing;

/// <summary>Reading and checking RFC 9457 problem details (<c>urn:signet:problem:*</c>) as a client sees them.</summary>
public static class ProblemResponses
{
    public const string MediaType = "application/problem+json";

    /// <summary>The problem document; throws unless the response is <c>application/problem+json</c>.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        KitExpectationException.That(mediaType == MediaType, $"expected {MediaType}, got {mediaType ?? "no content type"}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Checks a problem-details response: the status, the Signet code, a human sentence, and no stack trace.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        KitExpectationException.That(response.StatusCode == status,
            $"expected {(int)status} {status} ({code}), got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var problem = await response.ProblemAsync();
        var type = problem.GetProperty("type").GetString();
        KitExpectationException.That(type == ProblemType(code), $"expected the problem type {ProblemType(code)}, got {type}");
        KitExpectationException.That(!string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), $"the {code} problem has no detail: {problem}");
        KitExpectationException.That(!problem.ToString().Contains("   at ", StringComparison.Ordinal), $"the {code} problem shows a stack trace: {problem}");
        return problem;
    }

    /// <summary>The problem type of a refused response, e.g. <c>urn:signet:problem:signature-required</c>; null without one.</summary>
    public static async Task<string?> ProblemTypeAsync(this HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
    }

    /// <summary>The Signet code of a problem response (e.g. <c>replayed</c>); null when the response is not a problem.</summary>
    public static async Task<string?> ProblemCodeAsync(this HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != MediaType)
        {
            return null;
        }

        var type = await response.ProblemTypeAsync();
        return ProblemCodes.TryParse(type, out var code) ? code.ToSlug() : type;
    }

    public static string ProblemType(string code) => "urn:signet:problem:" + code;
}
