using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Signet.Server.Data;
using Signet.Server.Hosting;

namespace Signet.Server.AdminApi;

/// <summary>Creates the <c>admin</c> account on first start.</summary>
internal sealed class AdminAccountSetup(IServiceScopeFactory scopes, IOptions<AdminOptions> options, IPasswordHasher hasher, DataDirectory data,
    TimeProvider time)
{
    public const string AdminUsername = "admin";
    public const string PasswordFileName = "initial-admin-password";

    /// <summary>Where the generated password went, or null when it came from configuration or the account existed.</summary>
    public string? GeneratedPasswordFile { get; private set; }

    /// <summary>True when the password was generated on this start (print it once).</summary>
    public string? GeneratedPassword { get; private set; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        if (await db.AdminUsers.AnyAsync(u => u.Username == AdminUsername, cancellationToken))
        {
            var file = data.File(PasswordFileName);
            GeneratedPasswordFile = File.Exists(file) ? file : null;
            return;
        }

        var configured = options.Value.InitialPassword;
        var password = string.IsNullOrEmpty(configured) ? PasswordHasher.Generate() : configured;
        var (hash, salt) = hasher.Hash(password, options.Value.PasswordIterations);
        db.AdminUsers.Add(new AdminUser
        {
            Username = AdminUsername,
            PasswordHash = hash,
            PasswordSalt = salt,
            PasswordIterations = options.Value.PasswordIterations,
            SecurityStamp = AdminUser.NewSecurityStamp(),
            CreatedAt = time.GetUtcNow(),
            MustChangePassword = string.IsNullOrEmpty(configured),
            Version = Guid.NewGuid(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return; // another node created it first
        }

        if (string.IsNullOrEmpty(configured))
        {
            var file = data.File(PasswordFileName);
            File.Delete(file);
            SecureFile.TryCreate(file, System.Text.Encoding.UTF8.GetBytes(password + "\n"));
            GeneratedPasswordFile = file;
            GeneratedPassword = password;
        }
    }
}
