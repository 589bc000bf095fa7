using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.AdminApi;

/// <summary>An API token, stored as its SHA-256 so any node can check it and a database leak reveals none.</summary>
internal sealed class AdminToken
{
    public long Id { get; set; }
    public required string TokenHash { get; set; }
    public int UserId { get; set; }

    /// <summary>The user's <see cref="AdminUser.SecurityStamp"/> when the password was checked for this token.</summary>
    public required string SecurityStamp { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}

internal sealed class AdminTokenConfiguration : IEntityTypeConfiguration<AdminToken>
{
    public void Configure(EntityTypeBuilder<AdminToken> builder)
    {
        builder.ToTable("AdminTokens");
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.SecurityStamp).HasMaxLength(32);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.ExpiresAt);
        builder.HasOne<AdminUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
