using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.Invitations;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;

namespace Signet.Server.Computers;

/// <summary>A device certificate; <see cref="KeyProtection"/> is how the agent said it holds the key (null: not said).</summary>
internal sealed record CertificateDto(string SerialNumber, string Thumbprint, string Subject, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, string Status, KeyProtection? KeyProtection);

/// <summary>The last signature outcome, when it was seen, and the last time a signature was valid.</summary>
internal sealed record SignatureOutcomeDto(string Outcome, DateTimeOffset? At, DateTimeOffset? LastValidAt = null);

internal sealed record ComputerDto(string Id, string Udid, string? SerialNumber, string? Hostname, string? Model, string? OsName,
    string? OsVersion, DateTimeOffset EnrolledAt, DateTimeOffset? LastContactAt, DateTimeOffset? LastInventoryAt,
    CertificateDto? Certificate, SignatureOutcomeDto? LastSignature);

/// <summary>A one-use invitation bound to one computer; the code is shown this once.</summary>
internal sealed record ReenrollmentInvitationDto(string Code, DateTimeOffset ExpiresAt);

internal sealed record RevocationDto(string ComputerId, IReadOnlyList<string> RevokedSerialNumbers, DateTimeOffset RevokedAt);

/// <summary>Admin API over computers.</summary>
internal static class ComputerEndpoints
{
    public static RouteGroupBuilder MapComputers(this RouteGroupBuilder api)
    {
        api.MapGet("/computers", ListAsync).WithName("ListComputers").WithSummary("List computers, optionally filtered by a search term");
        api.MapGet("/computers/{id}", GetAsync).WithName("GetComputer")
            .WithSummary("One computer with its current device certificate and last signature outcome");
        api.MapPost("/computers/{id}/revoke-certificate", RevokeAsync).WithName("RevokeCertificate")
            .WithSummary("Revoke the computer's certificates; it must enroll again");
        api.MapPost("/computers/{id}/reenrollment-invitation", CreateReenrollmentInvitationAsync).WithName("CreateReenrollmentInvitation")
            .WithSummary("Create a one-use, 24-hour invitation bound to this computer for re-enrollment");
        api.MapDelete("/computers/{id}", DeleteAsync).WithName("DeleteComputer").WithSummary("Delete a computer and revoke its certificates");
        return api;
    }

    private static async Task<IResult> ListAsync(string? search, int? skip, int? take, ComputerQueries computers,
        CancellationToken cancellationToken) =>
        TypedResults.Ok((await computers.ListAsync(search, skip ?? 0, take ?? 100, cancellationToken)).Items);

    private static async Task<IResult> GetAsync(string id, ComputerQueries computers, CancellationToken cancellationToken) =>
        await computers.GetAsync(id, cancellationToken) is { } computer
            ? TypedResults.Ok(computer)
            : ProblemResults.NotFound("No computer has that id.");

    private static async Task<IResult> RevokeAsync(string id, CertificateLifecycle lifecycle, HttpContext context,
        CancellationToken cancellationToken)
    {
        var result = await lifecycle.RevokeAsync(id, LifecycleActor.Admin(context), cancellationToken);
        return result.Status switch
        {
            RevocationStatus.Revoked => TypedResults.Ok(new RevocationDto(id, result.RevokedSerialNumbers, result.At)),
            RevocationStatus.ComputerNotFound => ProblemResults.NotFound("No computer has that id."),
            _ => ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status409Conflict,
                "The computer has no current certificate to revoke."),
        };
    }

    private static async Task<IResult> DeleteAsync(string id, CertificateLifecycle lifecycle, HttpContext context,
        CancellationToken cancellationToken) =>
        await lifecycle.DeleteAsync(id, LifecycleActor.Admin(context), cancellationToken)
            ? TypedResults.NoContent()
            : ProblemResults.NotFound("No computer has that id.");

    private static async Task<IResult> CreateReenrollmentInvitationAsync(string id, InvitationService invitations, HttpContext context,
        CancellationToken cancellationToken)
    {
        var actor = LifecycleActor.Admin(context);
        return await invitations.CreateReenrollmentAsync(id, actor.Name, actor.SourceAddress, cancellationToken) is { Invitation: { } invitation, Code: { } code }
            ? TypedResults.Created($"/api/v1/invitations/{invitation.Id}", new ReenrollmentInvitationDto(code, invitation.ExpiresAt))
            : ProblemResults.NotFound("No computer has that id.");
    }
}
