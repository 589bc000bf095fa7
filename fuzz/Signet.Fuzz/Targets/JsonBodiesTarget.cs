using System.Text.Json;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Enrollment;
using Signet.Server.Problems;

namespace Signet.Fuzz.Targets;

/// <summary>The agent API's bodies (docs/api.md), read the way the endpoints read them: the first byte picks the
/// body (enroll, check-in, inventory, renew), the rest is the JSON. Reading and validating must end in a value or a
/// 400 problem; an exception would be a 500.</summary>
internal static class JsonBodiesTarget
{
    public static void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var body = input.AsSpan(1);
        switch (input[0] % 4)
        {
            case 0:
                if (JsonBody.TryRead<EnrollRequest>(body, out var enroll, out _))
                {
                    _ = DeviceInfoValidator.Validate(enroll!.Device);
                    _ = enroll.Invitation?.Trim();
                    _ = CsrValidator.Validate(enroll.Csr);
                }

                break;
            case 1:
                if (JsonBody.TryRead<CheckInRequest>(body, out var checkIn, out _))
                {
                    _ = string.IsNullOrWhiteSpace(checkIn!.AgentVersion) || checkIn.AgentVersion.Length > 64;
                }

                break;
            case 2:
                if (JsonBody.TryRead<InventoryDocument>(body, out var inventory, out _)
                    && InventoryValidator.Validate(inventory!).Count == 0)
                {
                    // What the endpoint stores.
                    _ = JsonSerializer.Serialize(inventory, SignetJson.Options);
                }

                break;
            default:
                if (JsonBody.TryRead<RenewRequest>(body, out var renew, out _))
                {
                    _ = CsrValidator.Validate(renew!.Csr);
                }

                break;
        }
    }
}
