namespace Signet.Server.Audit;

internal static class AuditExtensions
{
    /// <summary>The audit log: written by every feature through <see cref="AuditLog"/>, read through <see cref="AuditQuery"/>.</summary>
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditQuery>();
        return builder;
    }
}
