using Signet.Server.AdminApi;
using Signet.Server.AgentDownloads;
using Signet.Server.ApiDocumentation;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Enrollment;
using Signet.Server.Health;
using Signet.Server.Hosting;
using Signet.Server.Invitations;
using Signet.Server.Lifecycle;
using Signet.Server.Observability;
using Signet.Server.Problems;
using Signet.Server.Settings;
using Signet.Server.Startup;
using Signet.Server.Tls;
using Signet.Server.WebConsole;

if (await ServerCommandLine.TryRunAsync(args, Console.Out, Console.Error) is { } exitCode)
{
    return exitCode;
}

var builder = WebApplication.CreateBuilder(args);

// Each feature registers only its own services; the calls may come in any order.
builder.AddSignetHosting();
builder.AddSignetProblems();
builder.AddSignetData();
builder.AddCertificateAuthority();
builder.AddTls();
builder.AddSignetCluster();
builder.AddAudit();
builder.AddSettings();
builder.AddDeviceAuthentication();
builder.AddInvitations();
builder.AddCertificateLifecycle();
builder.AddEnrollment();
builder.AddComputers();
builder.AddAdminApi();
builder.AddConsole();
builder.AddAgentDownloads();
builder.AddApiDocumentation();
builder.AddSignetHealth();
builder.AddSignetObservability();

var app = builder.Build();

await app.InitializeSignetAsync();

// The pipeline's order matters; the endpoints' does not.
app.UseHttpHardening();
app.UseSignetProblems();
app.UseAgentRequestMetrics();
app.UseSignetPublicAuthority();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapSignetHealth();
app.MapSignetMetrics();
app.MapApiDocumentation();
app.MapPki();
app.MapEnrollment();
app.MapAgentApi();
app.MapAgentDownloads();
var admin = app.MapAdminApi();
admin.MapSettings();
admin.MapInvitations();
admin.MapComputers();
admin.MapEnrollmentRequests();
admin.MapAudit();
app.MapConsole();

await app.RunAsync();
return ServerExitCodes.Succeeded;

/// <summary>Entry point; public so test hosts can find the assembly.</summary>
public partial class Program;
