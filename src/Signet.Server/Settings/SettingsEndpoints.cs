using System.Security.Claims;
using Signet.Server.Problems;

namespace Signet.Server.Settings;

/// <summary>PUT body: every field optional, so a client may change one setting without knowing the others.</summary>
internal sealed record SecuritySettingsUpdate(bool? CertificateBasedCommunication, int? MaximumClockSkewSeconds, int? DeviceCertificateLifetimeDays,
    string? Reenrollment = null, bool? RequireHardwareKeys = null);

/// <summary>PUT body of <c>settings/check-in</c>.</summary>
internal sealed record CheckInSettingsUpdate(int? CheckInIntervalSeconds);

internal static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/settings/security", (SecuritySettingsSnapshot snapshot) => TypedResults.Ok(snapshot.Current))
            .WithName("GetSecuritySettings")
            .WithSummary("Read the security settings (certificate-based communication, clock skew, certificate lifetime, re-enrollment)");
        api.MapPut("/settings/security", UpdateAsync).WithName("UpdateSecuritySettings")
            .WithSummary("Change security settings; fields left out keep their value, unknown fields are refused")
            .ProducesProblem(Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status409Conflict);
        api.MapGet("/settings/check-in", async (CheckInSettingsService checkIn, CancellationToken cancellationToken) =>
                TypedResults.Ok(await checkIn.GetAsync(cancellationToken)))
            .WithName("GetCheckInSettings")
            .WithSummary("Read the check-in interval agents are told to use");
        api.MapPut("/settings/check-in", UpdateCheckInAsync).WithName("UpdateCheckInSettings")
            .WithSummary("Change the check-in interval; every node answers the new value at the next check-in, unknown fields are refused");
        return api;
    }

    private static async Task<IResult> UpdateCheckInAsync(CheckInSettingsUpdate? update, CheckInSettingsService checkIn,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (update?.CheckInIntervalSeconds is not { } seconds)
        {
            return ProblemResults.Validation("checkInIntervalSeconds", "Required: the check-in interval in seconds.");
        }

        var result = await checkIn.UpdateAsync(new CheckInSettings(seconds), user.Identity?.Name ?? "unknown", cancellationToken);
        return Answer(result);
    }

    private static async Task<IResult> UpdateAsync(SecuritySettingsUpdate? update, SecuritySettingsService settings,
        ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (update is null)
        {
            return ProblemResults.BadRequest("Send the settings as a JSON object.");
        }

        return Answer(await settings.UpdateAsync(update, user.Identity?.Name ?? "unknown", cancellationToken));
    }

    private static IResult Answer<T>(SettingsUpdate<T> result) =>
        result.Status switch
        {
            SettingsUpdateStatus.Applied => TypedResults.Ok(result.Settings),
            SettingsUpdateStatus.Invalid => ProblemResults.Validation(new Dictionary<string, string[]>(result.Errors)),
            _ => ProblemResults.Create(Signet.Protocol.ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The settings were changed at the same time by someone else; reload and try again."),
        };
}
