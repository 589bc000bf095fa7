using Signet.Server.Data;

namespace Signet.Server.Tests.Architecture;

/// <summary>Server features depend on each other one way (docs/architecture.md, "Feature layers"): a feature may use
/// only the features listed before it.</summary>
public sealed class FeatureDependencyTests
{
    /// <summary>Bottom first.</summary>
    private static readonly string[] Layers =
    [
        "Problems", "Hosting", "Data", "Observability", "AgentDownloads", "CertificateAuthority", "Tls", "Cluster", "Audit", "AdminApi",
        "Settings", "DeviceAuthentication", "Invitations", "Lifecycle", "Enrollment", "Computers", "Health", "ApiDocumentation",
        "WebConsole", "Startup",
    ];

    private static readonly Lazy<IReadOnlyDictionary<(string From, string To), List<string>>> Uses =
        new(() => FeatureReferences.Of(typeof(Program).Assembly, typeof(SignetDbContext)));

    [Fact]
    public void EveryFeatureUsesOnlyTheFeaturesBelowIt()
    {
        var offending = Violations(Uses.Value, Layers);

        Assert.True(offending.Count == 0, "Features using a feature above them:\n" + string.Join("\n", offending));
    }

    [Fact]
    public void EveryFeatureFolderHasItsPlaceInTheLayers()
    {
        var model = FeatureReferences.ModelOf(typeof(Program).Assembly, typeof(SignetDbContext));
        var features = typeof(Program).Assembly.GetTypes()
            .Select(t => FeatureReferences.FeatureOf(t, model))
            .OfType<string>()
            .ToHashSet();

        Assert.Empty(features.Except(Layers).Order());
        Assert.Empty(Layers.Except(features).Order());
    }

    [Fact]
    public void TheModelsEntitiesCountForData()
    {
        Assert.DoesNotContain(Uses.Value.Keys, use => use is ("Data", "Computers") or ("CertificateAuthority", "Computers"));
        Assert.Contains(Uses.Value.Keys, use => use == ("Computers", "Data"));
    }

    [Fact]
    public void SeesUsesInSignaturesLambdasAndAsyncMethods()
    {
        var uses = Uses.Value;

        // A primary constructor's parameter, a type named only in an async lambda's state machine, one named only in a
        // lambda, and a generic method's type argument inside an async method.
        Assert.Contains("Signet.Server.Lifecycle.CertificateLifecycle..ctor uses Signet.Server.DeviceAuthentication.IDeviceKeyDirectory",
            uses[("Lifecycle", "DeviceAuthentication")]);
        Assert.Contains("Signet.Server.Audit.AuditEndpoints+<>c+<<MapAudit>b__0_0>d.MoveNext uses Signet.Server.Problems.ProblemResults",
            uses[("Audit", "Problems")]);
        Assert.Contains(uses[("Startup", "Hosting")], place => place.StartsWith("Signet.Server.Startup.ServerStart+<>c__DisplayClass", StringComparison.Ordinal) &&
            place.EndsWith("uses Signet.Server.Hosting.StartFailure", StringComparison.Ordinal));
        Assert.Contains(uses[("Startup", "Tls")], place => place.Contains("<InitializeSignetAsync>", StringComparison.Ordinal) &&
            place.EndsWith("uses Signet.Server.Tls.TlsCertificateProvider", StringComparison.Ordinal));
    }

    [Fact]
    public void NamesAUseTheLayersDoNotAllow()
    {
        // The lifecycle uses the device directory, so a map that puts the lifecycle below device authentication fails.
        string[] wrong = ["Problems", "Hosting", "Data", "Lifecycle", "DeviceAuthentication"];

        var offending = Violations(Uses.Value, wrong);

        Assert.Contains(offending, line => line.StartsWith("Lifecycle -> DeviceAuthentication: Signet.Server.Lifecycle.", StringComparison.Ordinal));
        Assert.DoesNotContain(offending, line => line.StartsWith("DeviceAuthentication -> Data", StringComparison.Ordinal));
    }

    /// <summary>Each use from a listed feature of a feature listed at or above it, with an example; features not listed
    /// are left out.</summary>
    private static List<string> Violations(IReadOnlyDictionary<(string From, string To), List<string>> uses, string[] layers) =>
    [
        .. uses
            .Where(use => Array.IndexOf(layers, use.Key.From) is var from and >= 0 &&
                Array.IndexOf(layers, use.Key.To) is var to and >= 0 && to >= from)
            .OrderBy(use => use.Key.From, StringComparer.Ordinal).ThenBy(use => use.Key.To, StringComparer.Ordinal)
            .Select(use => $"{use.Key.From} -> {use.Key.To}: {use.Value[0]}"),
    ];
}
