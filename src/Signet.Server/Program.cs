using Signet.Server.AdminApi;
using Signet.Server.AgentDownloads;
using Signet.Server.ApiDocumentation;
using Signet.Server.CertificateAuthority;
using Signet.Server.Cluster;
using Signet.Server.Computers;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;
using Signet.Server.Enrollment;
using Signet.Server.Hosting;
using Signet.Server.Lifecycle;
using Signet.Server.Problems;
using Signet.Server.WebConsole;

if (MigrateDataCommand.Matches(args))
{
    Environment.ExitCode = await MigrateDataCommand.RunAsync(args, Console.Out, Console.Error);
    return;
}

if (CaInitCommand.Matches(args))
{
    Environment.ExitCode = await CaInitCommand.RunAsync(args, Console.Out, Console.Error);
    return;
}

var builder = WebApplication.CreateBuilder(args);

builder.AddSignetHosting();
builder.AddSignetProblems();
builder.AddSignetData();
builder.AddCertificateAuthority();
builder.AddDeviceAuthentication();
builder.AddSignetCluster();
builder.AddEnrollment();
builder.AddCertificateLifecycle();
builder.AddAdminApi();
builder.AddConsole();
builder.AddAgentDownloads();
builder.AddApiDocumentation();

var app = builder.Build();

await app.InitializeSignetAsync();

app.UseHttpHardening();
app.UseSignetProblems();
app.UseSignetPublicAuthority();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).WithName("Health").WithSummary("Liveness: the process answers");
app.MapApiDocumentation();
app.MapPki();
app.MapEnrollment();
app.MapAgentApi();
app.MapAgentDownloads();
app.MapAdminApi();
app.MapConsole();

await app.RunAsync();

/// <summary>Entry point; public so test hosts can find the assembly.</summary>
public partial class Program;
