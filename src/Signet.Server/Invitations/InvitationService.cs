using Microsoft.EntityFrameworkCore;
using Signet.Server.Audit;
using Signet.Server.Data;

namespace Signet.Server.Invitations;

/// <summary>A new invitation with its code (shown once), or the errors per field.</summary>
internal sealed record InvitationCreation(Invitation? Invitation, string? Code, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>Creating, listing and deleting enrollment invitations, for the admin API and the console alike.</summary>
internal sealed class InvitationService(SignetDbContext db, AuditLog audit, TimeProvider time)
{
    public const int DefaultUses = 1;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a re-enrollment invitation bound to one computer lasts.</summary>
    public static readonly TimeSpan ReenrollmentLifetime = TimeSpan.FromHours(24);

    /// <summary>Defaults: one use, seven days, no name.</summary>
    public async Task<InvitationCreation> CreateAsync(int? uses, DateTimeOffset? expiresAt, string actor, CancellationToken cancellationToken,
        string? name = null)
    {
        var now = time.GetUtcNow();
        var count = uses ?? DefaultUses;
        var expiry = expiresAt?.ToUniversalTime() ?? now.Add(DefaultLifetime);
        var errors = new Dictionary<string, string[]>();
        if (count is < 1 or > 100_000)
        {
            errors["uses"] = ["Must be between 1 and 100000."];
        }

        if (expiry <= now || expiry > now.AddDays(366))
        {
            errors["expiresAt"] = ["Must be in the future and at most a year away."];
        }

        var (normalizedName, nameError) = InvitationNames.Normalize(name);
        if (nameError is not null)
        {
            errors["name"] = [nameError];
        }

        if (errors.Count > 0)
        {
            return new InvitationCreation(null, null, errors);
        }

        var code = InvitationCodes.NewCode();
        var invitation = new Invitation
        {
            Id = InvitationCodes.NewId(),
            CodeHash = InvitationCodes.Hash(code),
            Uses = count,
            UsesRemaining = count,
            CreatedAt = now,
            ExpiresAt = expiry,
            CreatedBy = actor,
            Name = normalizedName,
        };
        db.Invitations.Add(invitation);
        audit.Record(actor, AuditActions.InvitationCreated, invitation.Id,
            $"uses={count}; expiresAt={expiry:O}" + (normalizedName is null ? "" : $"; name={normalizedName}"));
        await db.SaveChangesAsync(cancellationToken);
        return new InvitationCreation(invitation, code, errors);
    }

    /// <summary>A one-use, 24-hour invitation only the computer's own UDID may use (docs/lifecycle.md); null when no
    /// computer has the id.</summary>
    public async Task<InvitationCreation?> CreateReenrollmentAsync(string computerId, string actor, string sourceAddress, CancellationToken cancellationToken)
    {
        if (!await db.Computers.AnyAsync(c => c.Id == computerId, cancellationToken))
        {
            return null;
        }

        var now = time.GetUtcNow();
        var code = InvitationCodes.NewCode();
        var invitation = new Invitation
        {
            Id = InvitationCodes.NewId(),
            CodeHash = InvitationCodes.Hash(code),
            Uses = 1,
            UsesRemaining = 1,
            CreatedAt = now,
            ExpiresAt = now.Add(ReenrollmentLifetime),
            CreatedBy = actor,
            ComputerId = computerId,
        };
        db.Invitations.Add(invitation);
        audit.Record(actor, AuditActions.InvitationCreated, invitation.Id,
            $"uses=1; expiresAt={invitation.ExpiresAt:O}; reenrollmentOf={computerId}; source={sourceAddress}");
        await db.SaveChangesAsync(cancellationToken);
        return new InvitationCreation(invitation, code, new Dictionary<string, string[]>());
    }

    /// <summary>True when <paramref name="code"/> names an invitation with uses left that has not expired; only a read,
    /// no use is taken (the certificate lifecycle takes it).</summary>
    public async Task<bool> IsUsableAsync(string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 128)
        {
            return false;
        }

        var hash = InvitationCodes.Hash(code.Trim());
        var now = time.GetUtcNow();
        return await db.Invitations.AsNoTracking().AnyAsync(i => i.CodeHash == hash && i.UsesRemaining > 0 && i.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Every invitation, newest first; never the code.</summary>
    public async Task<IReadOnlyList<InvitationDto>> ListAsync(CancellationToken cancellationToken) =>
        await db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt)
            .Select(i => new InvitationDto(i.Id, i.Uses, i.UsesRemaining, i.CreatedAt, i.ExpiresAt, i.CreatedBy, i.ComputerId, i.Name))
            .ToListAsync(cancellationToken);

    /// <summary>One invitation by its listing id, or null.</summary>
    public async Task<InvitationDto?> FindAsync(string id, CancellationToken cancellationToken) =>
        await db.Invitations.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new InvitationDto(i.Id, i.Uses, i.UsesRemaining, i.CreatedAt, i.ExpiresAt, i.CreatedBy, i.ComputerId, i.Name))
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Deletes by code or listing id; false when neither matches.</summary>
    public async Task<bool> DeleteAsync(string codeOrId, string actor, CancellationToken cancellationToken)
    {
        var hash = InvitationCodes.Hash(codeOrId);
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.CodeHash == hash || i.Id == codeOrId, cancellationToken);
        if (invitation is null)
        {
            return false;
        }

        db.Invitations.Remove(invitation);
        audit.Record(actor, AuditActions.InvitationDeleted, invitation.Id);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
