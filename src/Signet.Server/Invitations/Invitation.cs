using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.Invitations;

/// <summary>An enrollment invitation. The code itself is never stored: only its SHA-256 and a listing id.</summary>
internal sealed class Invitation
{
    /// <summary>Short, non-secret id shown in listings and accepted by DELETE.</summary>
    public required string Id { get; set; }

    /// <summary>Lowercase hex SHA-256 of the code.</summary>
    public required string CodeHash { get; set; }
    public int Uses { get; set; }
    public int UsesRemaining { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public required string CreatedBy { get; set; }

    /// <summary>What the administrator called it ("Finance laptops"); optional.</summary>
    public string? Name { get; set; }

    /// <summary>Set for a re-enrollment invitation: only this computer's UDID may use it (docs/lifecycle.md).</summary>
    public string? ComputerId { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("Invitations");
        builder.Property(i => i.Id).HasMaxLength(16);
        builder.Property(i => i.CodeHash).HasMaxLength(64);
        builder.Property(i => i.CreatedBy).HasMaxLength(64);
        builder.Property(i => i.Name).HasMaxLength(InvitationNames.MaximumLength);
        builder.Property(i => i.ComputerId).HasMaxLength(36);
        builder.HasIndex(i => i.CodeHash).IsUnique();
        builder.HasIndex(i => i.ExpiresAt);
    }
}
