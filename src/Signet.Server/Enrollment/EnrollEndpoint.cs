using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Invitations;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;
using Signet.Server.Hosting;

namespace Signet.Server.Enrollment;

/// <summary><c>POST /agent/v1/enroll</c> and the agent's poll of a held request: read and check the request, hand it
/// to the certificate lifecycle, shape its answer. Failed attempts are limited per address (<see cref="EnrollmentFailures"/>).</summary>
internal static class EnrollEndpoint
{
    public static IEndpointRouteBuilder MapEnrollment(this IEndpointRouteBuilder app)
    {
        app.MapPost("/agent/v1/enroll", EnrollAsync)
            .WithName("Enroll")
            .WithTags("Agent")
            .Accepts<EnrollRequest>("application/json")
            .Produces<EnrollResponse>(StatusCodes.Status201Created)
            .Produces<EnrollmentHeldResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(ProblemCode.CsrInvalid, ProblemCode.KeyNotAllowed, ProblemCode.InvitationInvalid, ProblemCode.RateLimited)
            .ProducesProblem(ProblemCode.ValidationFailed, StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Enroll: send a CSR with an invitation; 201 with the certificate, or 202 when held for approval");
        app.MapGet("/agent/v1/enrollment-requests/{requestId}", PollAsync)
            .WithName("PollEnrollmentRequest")
            .WithTags("Agent")
            .Produces<EnrollResponse>()
            .Produces<EnrollmentHeldResponse>(StatusCodes.Status202Accepted)
            .ProducesProblems(ProblemCode.EnrollmentDenied)
            .WithSummary("Poll a held enrollment: 202 while pending, 200 with the certificate once approved");
        return app;
    }

    private static async Task<IResult> EnrollAsync(HttpContext context, CertificateLifecycle lifecycle, EnrollmentFailures failures,
        InvitationService invitations, ICaSigner ca, IOptions<EnrollmentOptions> enrollment, Settings.CheckInSettingsSnapshot checkIn,
        IOptions<LifecycleOptions> lifecycleOptions, CancellationToken cancellationToken)
    {
        var address = ClientAddress.Of(context);
        // A signed enrollment is a known computer re-enrolling with its current key; verify it before the body is read.
        var signedBy = await SignedComputerIdAsync(context);
        var body = await JsonBody.ReadLimitedAsync(context.Request, enrollment.Value.MaximumBodyBytes, cancellationToken);
        if (body is null)
        {
            return ProblemResults.Create(ProblemCode.ValidationFailed, StatusCodes.Status413PayloadTooLarge,
                $"The enrollment request is larger than {enrollment.Value.MaximumBodyBytes} bytes.");
        }

        if (!JsonBody.TryRead<EnrollRequest>(body, out var request, out var problem))
        {
            return problem!;
        }

        var errors = DeviceInfoValidator.Validate(request!.Device);
        if (errors.Count > 0)
        {
            return ProblemResults.Validation(errors, "The device description is not valid.");
        }

        // Past its limit an address is served only when the request proves itself; no guess reaches the lifecycle.
        if (failures.Exhausted(address) is { } wait && signedBy is null &&
            !await invitations.IsUsableAsync(request.Invitation, cancellationToken))
        {
            return RateLimited(context, wait);
        }

        if (request.Invitation is { Length: > 128 })
        {
            failures.Record(address);
            return ProblemResults.Create(ProblemCode.InvitationInvalid);
        }

        var (publicKey, csrProblem) = CsrValidator.Validate(request.Csr);
        if (csrProblem is { } code)
        {
            return ProblemResults.Create(code);
        }

        var outcome = await lifecycle.EnrollAsync(new EnrollmentAttempt(request.Invitation?.Trim(), publicKey!, request.Device, signedBy),
            LifecycleActor.Agent(context), cancellationToken);
        if (outcome.Refused is { } refusal)
        {
            if (refusal.Code == ProblemCode.InvitationInvalid)
            {
                failures.Record(address);
            }

            return ProblemResults.Create(refusal.Code, refusal.Detail);
        }

        if (outcome.Held is { } held)
        {
            return TypedResults.Accepted($"/agent/v1/enrollment-requests/{held.Id}",
                new EnrollmentHeldResponse(held.Id, EnrollmentHeldResponse.Pending, lifecycleOptions.Value.PollAfterSeconds));
        }

        var issued = outcome.Issued!;
        return TypedResults.Created($"/api/v1/computers/{issued.ComputerId}", Response(issued, ca, checkIn.Current));
    }

    private static async Task<IResult> PollAsync(string requestId, HttpContext context, CertificateLifecycle lifecycle,
        EnrollmentFailures failures, ICaSigner ca, Settings.CheckInSettingsSnapshot checkIn, IOptions<LifecycleOptions> lifecycleOptions,
        CancellationToken cancellationToken)
    {
        // The request id is the proof here: a real one is answered whatever the address's failures.
        var poll = requestId.Length == 32 ? await lifecycle.PollAsync(requestId, cancellationToken) : null;
        if (poll is null)
        {
            var address = ClientAddress.Of(context);
            if (failures.Exhausted(address) is { } wait)
            {
                return RateLimited(context, wait);
            }

            failures.Record(address);
        }

        return poll switch
        {
            null => ProblemResults.NotFound("No enrollment request has that id: enroll again."),
            { Expired: true } => ProblemResults.NotFound("The enrollment request lapsed without a decision: enroll again, or ask your administrator for a re-enrollment invitation."),
            { Issued: { } issued } => TypedResults.Ok(Response(issued, ca, checkIn.Current)),
            { Status: EnrollmentRequestStatus.Denied } => ProblemResults.Create(ProblemCode.EnrollmentDenied),
            _ => TypedResults.Json(new EnrollmentHeldResponse(requestId, EnrollmentHeldResponse.Pending, lifecycleOptions.Value.PollAfterSeconds),
                SignetJson.Options, statusCode: StatusCodes.Status202Accepted),
        };
    }

    private static ProblemHttpResult RateLimited(HttpContext context, TimeSpan wait)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(Math.Max(1, wait.TotalSeconds))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProblemResults.Create(ProblemCode.RateLimited, StatusCodes.Status429TooManyRequests,
            "Too many failed enrollment attempts from this address: wait a minute, and check the invitation code.");
    }

    private static EnrollResponse Response(IssuedResult issued, ICaSigner ca, Settings.CheckInSettings checkIn) =>
        new(issued.ComputerId, issued.CertificatePem(), [ca.Certificate.ExportCertificatePem()],
            checkIn.CheckInIntervalSeconds);

    /// <summary>The computer whose current certificate validly signed this request, or null when it is unsigned or
    /// the signature does not hold (it is then treated as any unsigned enrollment).</summary>
    private static async Task<string?> SignedComputerIdAsync(HttpContext context)
    {
        if (!context.Request.Headers.ContainsKey(SignetHeaders.Signature))
        {
            return null;
        }

        var result = await context.AuthenticateAsync(DeviceSignatureDefaults.AuthenticationScheme);
        // The scheme records why it refused; an enrollment is not refused for it, so drop the challenge it left.
        context.Features.Set<DeviceAuthenticationFailure>(null);
        return result.Succeeded && result.Principal.FindFirst(DeviceSignatureDefaults.SignedClaim)?.Value == "true"
            ? result.Principal.FindFirst(DeviceSignatureDefaults.ComputerIdClaim)?.Value
            : null;
    }
}
