using System.Security.Claims;
using Signet.Server.Problems;

namespace Signet.Server.Settings;

/// <summary>PUT body: every field optional, so a client may change one setting without knowing the others.</summary>
internal sealed record SecuritySettingsUpdate(bool? CertificateBasedCommunication, int? MaximumClockSkewSeconds, int? DeviceCertificateLifetimeDays,
    string? Reenrollment = null, bool? RequireHardwareKeys = null);

internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/settings/security", (SecuritySettingsSnapshot snapshot) => TypedResults.Ok(snapshot.Current))
            .WithName("GetSecuritySettings");
        api.MapPut("/settings/security", UpdateAsync).WithName("UpdateSecuritySettings");
        return api;
    }

    private static async Task<IResult> UpdateAsync(SecuritySettingsUpdate? update, SecuritySettingsService settings,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (update is null)
        {
            return ProblemResults.BadRequest("Send the settings as a JSON object.");
        }

        var result = await settings.UpdateAsync(update, user.Identity?.Name ?? "unknown", cancellationToken);
        return result.Status switch
        {
            SettingsUpdateStatus.Applied => TypedResults.Ok(result.Settings),
            SettingsUpdateStatus.Invalid => ProblemResults.Validation(new Dictionary<string, string[]>(result.Errors)),
            _ => ProblemResults.Create(Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The settings were changed at the same time by someone else; reload and try again."),
        };
    }
}
