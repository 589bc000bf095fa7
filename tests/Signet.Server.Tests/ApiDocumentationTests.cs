using System.Net;
using System.Text.Json;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

/// <summary>The OpenAPI document describes every operation the way a client generator or a reader needs it: a summary,
/// the problem responses, who may call it, examples for the agent bodies.</summary>
public sealed class ApiDocumentationTests : IClassFixture<ApiDocumentationTests.Document>
{
    private readonly JsonElement _document;

    public ApiDocumentationTests(Document document) => _document = document.Root;

    public static TheoryData<string> Operations()
    {
        using var factory = new SignetFactory();
        var root = Document.Load(factory);
        var data = new TheoryData<string>();
        foreach (var (method, path, _) in Walk(root))
        {
            data.Add(method.ToUpperInvariant() + " " + path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public void OperationHasASummaryAndProblemResponses(string operation)
    {
        var (_, path, value) = Walk(_document).Single(o => o.Method.ToUpperInvariant() + " " + o.Path == operation);
        Assert.False(string.IsNullOrWhiteSpace(value.GetProperty("summary").GetString()), operation + " has no summary");

        var problems = value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5').ToList();
        Assert.Contains(problems, r => r.Name == "500");
        foreach (var response in problems)
        {
            var schema = response.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            Assert.Equal("#/components/schemas/ProblemDetails", schema.GetProperty("$ref").GetString());
            Assert.Contains("urn:signet:problem:", response.Value.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        var schemes = value.TryGetProperty("security", out var security)
            ? security.EnumerateArray().SelectMany(s => s.EnumerateObject().Select(p => p.Name)).ToList()
            : [];
        var expected = path switch
        {
            "/api/v1/auth/token" when operation.StartsWith("POST", StringComparison.Ordinal) => null,
            _ when path.StartsWith("/api/", StringComparison.Ordinal) => "AdminBearer",
            "/agent/v1/checkin" or "/agent/v1/inventory" or "/agent/v1/renew" => "DeviceSignature",
            _ => null,
        };
        Assert.Equal(expected is null ? [] : [expected], schemes);
        if (expected is not null)
        {
            Assert.Contains(problems, r => r.Name == "401");
        }
    }

    [Fact]
    public void DeviceSignedOperationsListEverySignatureProblemCode()
    {
        var checkIn = _document.GetProperty("paths").GetProperty("/agent/v1/checkin").GetProperty("post").GetProperty("responses");
        var unauthorized = checkIn.GetProperty("401").GetProperty("description").GetString()!;
        foreach (var code in new[] { "signature-required", "signature-malformed", "signature-invalid", "digest-mismatch", "clock-skew",
                     "replayed", "unknown-key", "certificate-expired", "certificate-revoked", "device-mismatch", "not-enrolled" })
        {
            Assert.Contains(code, unauthorized, StringComparison.Ordinal);
        }

        Assert.Contains("service-unavailable", checkIn.GetProperty("503").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SecuritySchemesAreDeclaredAndNoSchemaHasAMadeUpName()
    {
        var components = _document.GetProperty("components");
        var schemes = components.GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("AdminBearer").GetProperty("scheme").GetString());
        Assert.Equal("Signature", schemes.GetProperty("DeviceSignature").GetProperty("name").GetString());
        Assert.DoesNotContain(components.GetProperty("schemas").EnumerateObject(),
            s => s.Name.StartsWith("AnonymousType", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("EnrollRequest")]
    [InlineData("EnrollResponse")]
    [InlineData("EnrollmentHeldResponse")]
    [InlineData("CheckInRequest")]
    [InlineData("CheckInResponse")]
    [InlineData("RenewRequest")]
    [InlineData("RenewResponse")]
    [InlineData("InventoryDocument")]
    public void AgentBodyHasAnExampleOfItsOwnShape(string name)
    {
        var schema = _document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        var example = schema.GetProperty("examples")[0];
        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.All(example.EnumerateObject(), p => Assert.Contains(p.Name, properties));
        foreach (var required in schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!) : [])
        {
            Assert.True(example.TryGetProperty(required, out _), $"{name} example lacks {required}");
        }

        // A newer agent may send more than this server knows; only admin bodies are closed.
        Assert.False(schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False);
    }

    [Fact]
    public void AdminBodiesAreClosedToUnknownFields()
    {
        var schema = _document.GetProperty("components").GetProperty("schemas").GetProperty("CreateInvitationRequest");
        Assert.Equal(JsonValueKind.False, schema.GetProperty("additionalProperties").ValueKind);
    }

    [Fact]
    public async Task ReferencePageIsServedWithItsOwnAssets()
    {
        await using var factory = new SignetFactory();
        using var client = factory.CreateClient();
        var page = await client.GetAsync(new Uri("/api/reference/v1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        foreach (var script in System.Text.RegularExpressions.Regex.Matches(html, "src=\"([^\"]+)\"").Select(m => m.Groups[1].Value))
        {
            var asset = await client.GetAsync(new Uri("/api/reference/" + script, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        }
    }

    private static IEnumerable<(string Method, string Path, JsonElement Value)> Walk(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Name is "get" or "put" or "post" or "delete" or "patch")
                .Select(o => (o.Name, path.Name, o.Value)));

    /// <summary>The document as a started server serves it, fetched once for the class.</summary>
    public sealed class Document : IDisposable
    {
        private readonly SignetFactory _factory = new();

        public Document() => Root = Load(_factory);

        public JsonElement Root { get; }

        public static JsonElement Load(SignetFactory factory)
        {
            using var client = factory.CreateClient();
            var json = client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)).GetAwaiter().GetResult();
            return JsonDocument.Parse(json).RootElement.Clone();
        }

        public void Dispose() => _factory.Dispose();
    }
}
