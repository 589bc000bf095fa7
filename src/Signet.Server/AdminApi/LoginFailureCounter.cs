using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Signet.Server.AdminApi;

/// <summary>Recent failed logins for one username or one client address (<see cref="LoginThrottle"/>). Changed only by
/// conditional UPDATEs, so concurrent logins on any node cannot lose a count.</summary>
internal sealed class LoginFailureCounter
{
    public const string Table = "LoginFailureCounters";

    /// <summary><c>account:</c> + username, or <c>address:</c> + client address.</summary>
    public required string Key { get; set; }

    /// <summary>Attempts counted since the counter was last fresh, including ones still being checked.</summary>
    public int Failures { get; set; }

    /// <summary>When the last attempt was counted; null until the first.</summary>
    public DateTimeOffset? LastFailureAt { get; set; }
}

internal sealed class LoginFailureCounterConfiguration : IEntityTypeConfiguration<LoginFailureCounter>
{
    public void Configure(EntityTypeBuilder<LoginFailureCounter> builder)
    {
        builder.ToTable(LoginFailureCounter.Table);
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(96);
        builder.HasIndex(c => c.LastFailureAt);
    }
}
