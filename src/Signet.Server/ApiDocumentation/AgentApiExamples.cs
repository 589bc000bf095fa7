using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Signet.Protocol.Wire;

namespace Signet.Server.ApiDocumentation;

/// <summary>An example for each agent API body, made from the wire types themselves so an example can never show a
/// field the server does not read. Agent bodies are open to fields a newer agent adds (the server reads them itself and
/// ignores what it does not know), unlike admin bodies.</summary>
internal sealed class AgentApiExamples : IOpenApiSchemaTransformer
{
    private const string Csr = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBBzCBrgIBADAUMRIwEAYDVQQDDAlsYWItbWFjLTA3MFkw...\n-----END CERTIFICATE REQUEST-----\n";
    private const string Certificate = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIQZ3J...\n-----END CERTIFICATE-----\n";
    private const string CaCertificate = "-----BEGIN CERTIFICATE-----\nMIIBrjCCAVSgAwIBAgIQb1x...\n-----END CERTIFICATE-----\n";
    private const string ComputerId = "3f2c8a4e-9b1d-4c6e-8f0a-5d7b2e1c9a40";
    private static readonly DateTimeOffset Collected = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<Type, object> Examples = new()
    {
        [typeof(EnrollRequest)] = new EnrollRequest("q3J0c1pXbkx2b1dQb0VfNw", Csr,
            new DeviceInfo("5F0C1A2E-7B3D-4E9A-8C61-0D2F4B6A8E13", "C02XK1ZQJGH5", "lab-mac-07", "MacBookPro18,3", "macOS", "15.1")),
        [typeof(EnrollResponse)] = new EnrollResponse(ComputerId, Certificate, [CaCertificate], 900),
        [typeof(EnrollmentHeldResponse)] = new EnrollmentHeldResponse("9c1e5a7f3b2d4e6a8c0f1b3d5e7a9c2e", EnrollmentHeldResponse.Pending, 60),
        [typeof(CheckInRequest)] = new CheckInRequest("1.4.0"),
        [typeof(CheckInResponse)] = new CheckInResponse(ComputerId, [AgentActions.Inventory], 900),
        [typeof(RenewRequest)] = new RenewRequest(Csr),
        [typeof(RenewResponse)] = new RenewResponse(Certificate, [CaCertificate]),
        [typeof(InventoryDocument)] = new InventoryDocument
        {
            CollectedAt = Collected,
            OperatingSystem = new OperatingSystemInfo("macOS", "15.1", "Darwin 24.1.0", "arm64"),
            Hardware = new HardwareInfo("MacBookPro18,3", "C02XK1ZQJGH5", "Apple M1 Pro", 10, 17_179_869_184),
            Disks = [new DiskInfo("disk3s1", "/", "apfs", 494_384_795_648, 201_326_592_000)],
            NetworkInterfaces = [new NetworkInterfaceInfo("en0", "3c:22:fb:12:34:56", ["192.0.2.17"])],
            LocalUsers = [new LocalUserInfo("alice", 501, "/Users/alice", "/bin/zsh")],
            Applications = [new ApplicationInfo("Safari", "18.1", "/Applications/Safari.app")],
        },
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type.Assembly == typeof(EnrollRequest).Assembly)
        {
            schema.AdditionalPropertiesAllowed = true;
        }

        if (context.JsonPropertyInfo is null && Examples.TryGetValue(context.JsonTypeInfo.Type, out var example))
        {
            schema.Examples = [JsonSerializer.SerializeToNode(example, example.GetType(), SignetJson.Options)!];
        }

        return Task.CompletedTask;
    }

    /// <summary>The types that carry an example, for the test that checks every agent body has one.</summary>
    public static IReadOnlyCollection<Type> Types => Examples.Keys;
}
