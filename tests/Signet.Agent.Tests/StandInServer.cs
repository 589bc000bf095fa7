using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Signet.Protocol;
using Signet.Protocol.Wire;

namespace Signet.Agent.Tests;

/// <summary>A small stand-in for the agent API on http://127.0.0.1 that keeps the lifecycle rules of docs/lifecycle.md the
/// agent relies on: the same CSR key always gets the same answer (certificate or held request), a known computer's
/// unsigned enrollment is held until <see cref="Approve"/> or <see cref="Deny"/>, renewals are idempotent per key.
/// Tests make it lose an answer after its commit (<see cref="DropAnswerTo"/>) or refuse (<see cref="RefuseWith"/>).
/// The real server is covered by the end-to-end tests; this one can be made to fail at each point.</summary>
internal sealed class StandInServer : IAsyncDisposable
{
    public const string Invitation = "good-invitation";

    /// <summary>An invitation an administrator issued for a known computer: it completes that computer's enrollment.</summary>
    public const string BoundInvitation = "bound-invitation";

    private readonly ConcurrentDictionary<string, string> _computers = new(); // udid → computer id
    private readonly ConcurrentDictionary<string, string> _issued = new(); // public key → certificate PEM
    private readonly ConcurrentDictionary<string, string> _heldByKey = new(); // public key → request id
    private readonly ConcurrentDictionary<string, HeldRequest> _held = new(); // request id → request
    private readonly ConcurrentDictionary<string, string> _dropAnswer = new(); // path → reason
    private readonly ConcurrentDictionary<string, (ProblemCode Code, int Status, string? CertificateStatus)> _refusals = new();
    private WebApplication _app = null!;

    private StandInServer()
    {
    }

    public TestCa Ca { get; } = new();
    public string Url { get; private set; } = "";
    public int PollAfterSeconds { get; set; } = 5;

    /// <summary>When set, signed enrollments are refused with this (the computer's certificate is no longer accepted).</summary>
    public (ProblemCode Code, int Status, string? CertificateStatus)? SignedEnrollRefusal { get; set; }

    /// <summary>The actions every check-in answers with.</summary>
    public IReadOnlyList<string> CheckInActions { get; set; } = [];

    /// <summary>Each request as "METHOD /path", followed by " signed by UDID" when it carried a signature, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The public key (hex SubjectPublicKeyInfo) of each enroll and renew CSR, in order.</summary>
    public ConcurrentQueue<string> CsrKeys { get; } = new();

    /// <summary>The invitation of each enroll request, in order (null when none was sent).</summary>
    public ConcurrentQueue<string?> Invitations { get; } = new();

    public IEnumerable<string> HeldRequestIds => _held.Keys;

    public static async Task<StandInServer> StartAsync()
    {
        var server = new StandInServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        server._app = builder.Build();
        server.Map(server._app);
        await server._app.StartAsync();
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    /// <summary>Makes <paramref name="udid"/> a computer the server knows, so unsigned enrollments of it are held.</summary>
    public void KnowComputer(string udid) => _computers.TryAdd(udid, "computer-" + _computers.Count);

    public void Approve(string requestId) => _held[requestId].State = HeldState.Approved;

    /// <summary>An administrator approves the request while the agent waits: polls before the <paramref name="poll"/>th
    /// (counting from 1) still answer pending.</summary>
    public void ApproveAtPoll(string requestId, int poll) => _held[requestId].ApproveAtPoll = poll;

    public void Deny(string requestId) => _held[requestId].State = HeldState.Denied;

    /// <summary>The request expired or was deleted: polls answer not-found.</summary>
    public void Forget(string requestId) => _held.TryRemove(requestId, out _);

    /// <summary>The next request to <paramref name="path"/> does its work (commits), then the connection drops.</summary>
    public void DropAnswerTo(string path) => _dropAnswer[path] = "drop";

    /// <summary>Requests to <paramref name="path"/> are refused with a problem until <see cref="StopRefusing"/>.</summary>
    public void RefuseWith(string path, ProblemCode code, int status, string? certificateStatus = null) => _refusals[path] = (code, status, certificateStatus);

    public void StopRefusing(string path) => _refusals.TryRemove(path, out _);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        Ca.Dispose();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var signed = context.Request.Headers.ContainsKey("Signature");
            Requests.Enqueue($"{context.Request.Method} {path}" + (signed ? $" signed by {context.Request.Headers["Signet-Device"]}" : ""));
            var refusal = _refusals.TryGetValue(path, out var byPath) ? byPath
                : signed && path == "/agent/v1/enroll" ? SignedEnrollRefusal
                : null;
            if (refusal is { } problem)
            {
                await Problem(problem.Code, problem.Status, problem.CertificateStatus).ExecuteAsync(context);
                return;
            }

            if (_dropAnswer.TryRemove(path, out _))
            {
                // The work is done (and kept), but the answer never leaves: it goes to a buffer and the connection drops.
                context.Response.Body = new MemoryStream();
                await next(context);
                context.Abort();
                return;
            }

            await next(context);
        });
        app.MapGet("/agent/v1/ca", () => Results.Text(Ca.Certificate.ExportCertificatePem(), "application/x-pem-file"));
        app.MapPost("/agent/v1/enroll", (EnrollRequest request, HttpRequest http) => Enroll(request, http.Headers.ContainsKey("Signature")));
        app.MapGet("/agent/v1/enrollment-requests/{id}", (string id) => Poll(id));
        app.MapPost("/agent/v1/checkin", (HttpRequest http) =>
            Results.Json(new CheckInResponse(_computers.GetValueOrDefault(http.Headers["Signet-Device"].ToString(), "computer-1"), CheckInActions, 120), SignetJson.Options));
        app.MapPost("/agent/v1/inventory", () => Results.NoContent());
        app.MapPost("/agent/v1/renew", (RenewRequest request) =>
        {
            var csr = LoadCsr(request.Csr);
            return Results.Json(new RenewResponse(IssueOnce(csr), [Ca.Certificate.ExportCertificatePem()]), SignetJson.Options);
        });
    }

    private IResult Enroll(EnrollRequest request, bool signed)
    {
        var csr = LoadCsr(request.Csr);
        Invitations.Enqueue(request.Invitation);
        var key = KeyOf(csr);
        var udid = request.Device.Udid;
        if (_issued.ContainsKey(key) || (_heldByKey.TryGetValue(key, out var id) && _held.TryGetValue(id, out var held) && held.State == HeldState.Approved))
        {
            return Completed(udid, IssueOnce(csr), StatusCodes.Status201Created);
        }

        if (_heldByKey.TryGetValue(key, out var heldId))
        {
            return Results.Json(new EnrollmentHeldResponse(heldId, EnrollmentHeldResponse.Pending, PollAfterSeconds), SignetJson.Options, statusCode: 202);
        }

        var known = _computers.ContainsKey(udid);
        if (!known && request.Invitation != Invitation)
        {
            return Problem(ProblemCode.InvitationInvalid, 403);
        }

        if (known && !signed && request.Invitation != BoundInvitation)
        {
            var requestId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _held[requestId] = new HeldRequest(udid, csr);
            _heldByKey[key] = requestId;
            return Results.Json(new EnrollmentHeldResponse(requestId, EnrollmentHeldResponse.Pending, PollAfterSeconds), SignetJson.Options, statusCode: 202);
        }

        KnowComputer(udid);
        return Completed(udid, IssueOnce(csr), StatusCodes.Status201Created);
    }

    private IResult Poll(string id)
    {
        if (!_held.TryGetValue(id, out var held))
        {
            return Problem(ProblemCode.NotFound, 404);
        }

        if (++held.Polls == held.ApproveAtPoll)
        {
            held.State = HeldState.Approved;
        }

        return held.State switch
        {
            HeldState.Approved => Completed(held.Udid, IssueOnce(held.Csr), StatusCodes.Status200OK),
            HeldState.Denied => Problem(ProblemCode.EnrollmentDenied, 403),
            _ => Results.Json(new EnrollmentHeldResponse(null, EnrollmentHeldResponse.Pending, PollAfterSeconds), SignetJson.Options, statusCode: 202),
        };
    }

    private IResult Completed(string udid, string certificate, int status)
    {
        KnowComputer(udid);
        return Results.Json(new EnrollResponse(_computers[udid], certificate, [Ca.Certificate.ExportCertificatePem()], 300), SignetJson.Options, statusCode: status);
    }

    private string IssueOnce(CertificateRequest csr) => _issued.GetOrAdd(KeyOf(csr), _ =>
    {
        using var certificate = Ca.Issue(csr);
        return certificate.ExportCertificatePem();
    });

    private CertificateRequest LoadCsr(string pem)
    {
        var csr = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
        CsrKeys.Enqueue(KeyOf(csr));
        return csr;
    }

    private static string KeyOf(CertificateRequest csr) => Convert.ToHexString(csr.PublicKey.ExportSubjectPublicKeyInfo());

    private static IResult Problem(ProblemCode code, int status, string? certificateStatus = null) => Results.Json(
        new Dictionary<string, object?>
        {
            ["type"] = code.ToTypeUri(),
            ["title"] = ProblemCatalog.Of(code).Title,
            ["status"] = status,
            ["certificateStatus"] = certificateStatus,
        },
        statusCode: status,
        contentType: "application/problem+json");

    private enum HeldState
    {
        Pending,
        Approved,
        Denied,
    }

    private sealed class HeldRequest(string udid, CertificateRequest csr)
    {
        public string Udid { get; } = udid;
        public CertificateRequest Csr { get; } = csr;
        public HeldState State { get; set; } = HeldState.Pending;
        public int Polls { get; set; }
        public int? ApproveAtPoll { get; set; }
    }
}
