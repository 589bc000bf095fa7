using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Signet.Server.AdminApi;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>A real server host over a real SQLite file in its own temporary data folder; the clock is the only fake.</summary>
public sealed class SignetFactory : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct horse battery staple";
    private readonly bool _ownsDataDirectory;
    private readonly Dictionary<string, string?> _settings;

    /// <param name="dataDirectory">Reuse a folder (a restart); null for a fresh one deleted on dispose.</param>
    /// <param name="time">Share a clock across restarts; null for one set to the real current time.</param>
    public SignetFactory(string? dataDirectory = null, FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("signet-server-tests-").FullName;
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        // An ECDSA CA starts faster than RSA on a busy machine; tests of the RSA default pass their own settings.
        _settings = settings ?? new Dictionary<string, string?>
        {
            ["Signet:Admin:InitialPassword"] = AdminPassword,
            ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
        };
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Settings for a factory with the production CA default (RSA-2048).</summary>
    public static Dictionary<string, string?> RsaCaSettings() => new() { ["Signet:Admin:InitialPassword"] = AdminPassword };

    /// <summary>Keep the folder after dispose, for a restart on the same data.</summary>
    public bool KeepDataDirectory { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Signet:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            // 600,000 iterations per login would dominate the suite; the hash code path is the same.
            services.PostConfigure<AdminOptions>(o => o.PasswordIterations = 1_000);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory && !KeepDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDataDirectory && !KeepDataDirectory)
        {
            TryDelete(DataDirectory);
        }
    }

    public static void TryDelete(string directory)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp folder is harmless
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
