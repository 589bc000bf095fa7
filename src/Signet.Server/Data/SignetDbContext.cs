using Microsoft.EntityFrameworkCore;
using Signet.Server.AdminApi;
using Signet.Server.Audit;
using Signet.Server.CertificateAuthority;
using Signet.Server.Computers;
using Signet.Server.Invitations;
using Signet.Server.Settings;

namespace Signet.Server.Data;

/// <summary>The one model of Signet's state. Each database provider derives its own context (and migrations) from it.</summary>
internal abstract class SignetDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<CaRecord> CertificateAuthorities => Set<CaRecord>();
    public DbSet<IssuedCertificate> IssuedCertificates => Set<IssuedCertificate>();
    public DbSet<CrlRecord> Crls => Set<CrlRecord>();
    public DbSet<TlsCertificateRecord> TlsCertificates => Set<TlsCertificateRecord>();
    public DbSet<Computer> Computers => Set<Computer>();
    public DbSet<InventorySubmission> InventorySubmissions => Set<InventorySubmission>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Enrollment.EnrollmentRequest> EnrollmentRequests => Set<Enrollment.EnrollmentRequest>();
    public DbSet<SecuritySettingsRecord> SecuritySettings => Set<SecuritySettingsRecord>();
    public DbSet<CheckInSettingsRecord> CheckInSettings => Set<CheckInSettingsRecord>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<AdminToken> AdminTokens => Set<AdminToken>();
    public DbSet<LoginFailureCounter> LoginFailureCounters => Set<LoginFailureCounter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SignetDbContext).Assembly, type =>
            type.Namespace is { } ns && !ns.Contains(".Migrations", StringComparison.Ordinal));
}
