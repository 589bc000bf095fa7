using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Audit;

/// <summary>One line of the audit log.</summary>
internal sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public string? Subject { get; set; }
    public string? Details { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.Property(a => a.Actor).HasMaxLength(128);
        builder.Property(a => a.Action).HasMaxLength(64);
        builder.Property(a => a.Subject).HasMaxLength(256);
        builder.Property(a => a.Details).HasMaxLength(4_096);
        builder.HasIndex(a => a.At);
    }
}
