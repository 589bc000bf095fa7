using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.AdminApi;

/// <summary>An administrator account; the password is stored as a PBKDF2-SHA256 hash.</summary>
internal sealed class AdminUser
{
    public int Id { get; set; }
    public required string Username { get; set; }
    public required byte[] PasswordHash { get; set; }
    public required byte[] PasswordSalt { get; set; }
    public int PasswordIterations { get; set; }

    /// <summary>Changes with the password; every token and console session carries the stamp it was issued under and
    /// ends when it no longer matches.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>True while the generated initial password is in use; the console shows a reminder until it is changed.</summary>
    public bool MustChangePassword { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid Version { get; set; }

    public static string NewSecurityStamp() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}

internal sealed class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    public void Configure(EntityTypeBuilder<AdminUser> builder)
    {
        builder.ToTable("AdminUsers");
        builder.Property(u => u.Username).HasMaxLength(64);
        builder.Property(u => u.PasswordHash).HasMaxLength(64);
        builder.Property(u => u.PasswordSalt).HasMaxLength(64);
        builder.Property(u => u.SecurityStamp).HasMaxLength(32);
        builder.Property(u => u.Version).IsConcurrencyToken();
        builder.HasIndex(u => u.Username).IsUnique();
    }
}
