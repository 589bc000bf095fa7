using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Computers;

/// <summary>One inventory document as received; the newest ten per computer are kept.</summary>
internal sealed class InventorySubmission
{
    public long Id { get; set; }
    public required string ComputerId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string Document { get; set; }
}

internal sealed class InventorySubmissionConfiguration : IEntityTypeConfiguration<InventorySubmission>
{
    public void Configure(EntityTypeBuilder<InventorySubmission> builder)
    {
        builder.ToTable("InventorySubmissions");
        builder.Property(i => i.ComputerId).HasMaxLength(36);
        builder.Property(i => i.Document).HasMaxLength(1_048_576);
        builder.HasIndex(i => new { i.ComputerId, i.ReceivedAt });
        builder.HasOne<Computer>().WithMany().HasForeignKey(i => i.ComputerId).OnDelete(DeleteBehavior.Cascade);
    }
}
