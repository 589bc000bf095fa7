using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Signet.Protocol;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;

namespace Signet.Server.Enrollment;

/// <summary><c>POST /agent/v1/enroll</c> and the agent's poll of a held request: read and check the request, hand it
/// to the certificate lifecycle, shape its answer.</summary>
internal static class EnrollEndpoint
{
    public const string RateLimitPolicy = "enroll";

    public static IEndpointRouteBuilder MapEnrollment(this IEndpointRouteBuilder app)
    {
        app.MapPost("/agent/v1/enroll", EnrollAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("Enroll")
            .WithTags("Agent")
            .Accepts<EnrollRequest>("application/json")
            .Produces<EnrollResponse>(StatusCodes.Status201Created)
            .Produces<EnrollmentHeldResponse>(StatusCodes.Status202Accepted);
        app.MapGet("/agent/v1/enrollment-requests/{requestId}", PollAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("PollEnrollmentRequest")
            .WithTags("Agent")
            .Produces<EnrollResponse>()
            .Produces<EnrollmentHeldResponse>(StatusCodes.Status202Accepted);
        return app;
    }

    private static async Task<IResult> EnrollAsync(HttpContext context, CertificateLifecycle lifecycle, ICaSigner ca,
        IOptions<EnrollmentOptions> enrollment, IOptions<AgentOptions> agent, IOptions<LifecycleOptions> lifecycleOptions,
        CancellationToken cancellationToken)
    {
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

        if (request.Invitation is { Length: > 128 })
        {
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
            return ProblemResults.Create(refusal.Code, ProblemCatalog.Of(refusal.Code).Status, refusal.Detail);
        }

        if (outcome.Held is { } held)
        {
            return TypedResults.Accepted($"/agent/v1/enrollment-requests/{held.Id}",
                new EnrollmentHeldResponse(held.Id, EnrollmentHeldResponse.Pending, lifecycleOptions.Value.PollAfterSeconds));
        }

        var issued = outcome.Issued!;
        return TypedResults.Created($"/api/v1/computers/{issued.ComputerId}", Response(issued, ca, agent.Value));
    }

    private static async Task<IResult> PollAsync(string requestId, CertificateLifecycle lifecycle, ICaSigner ca,
        IOptions<AgentOptions> agent, IOptions<LifecycleOptions> lifecycleOptions, CancellationToken cancellationToken)
    {
        var poll = requestId.Length == 32 ? await lifecycle.PollAsync(requestId, cancellationToken) : null;
        return poll switch
        {
            null => ProblemResults.NotFound("No enrollment request has that id: enroll again."),
            { Expired: true } => ProblemResults.NotFound("The enrollment request lapsed without a decision: enroll again, or ask your administrator for a re-enrollment invitation."),
            { Issued: { } issued } => TypedResults.Ok(Response(issued, ca, agent.Value)),
            { Status: EnrollmentRequestStatus.Denied } => ProblemResults.Create(ProblemCode.EnrollmentDenied),
            _ => TypedResults.Json(new EnrollmentHeldResponse(requestId, EnrollmentHeldResponse.Pending, lifecycleOptions.Value.PollAfterSeconds),
                SignetJson.Options, statusCode: StatusCodes.Status202Accepted),
        };
    }

    private static EnrollResponse Response(IssuedResult issued, ICaSigner ca, AgentOptions agent) =>
        new(issued.ComputerId, System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", issued.CertificateDer), [ca.Certificate.ExportCertificatePem()],
            agent.CheckInIntervalSeconds);

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
