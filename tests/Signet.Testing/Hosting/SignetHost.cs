using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Signet.Testing.Hosting;

/// <summary>The real server host in this process over a real SQLite file in its own temporary data folder; the clock is
/// the only fake. A test project derives from it to change services only it can reach (<see cref="ConfigureServices"/>).</summary>
public class SignetHost : WebApplicationFactory<Program>
{
    public const string AdminPassword = "correct horse battery staple";
    private readonly bool _ownsDataDirectory;
    private readonly Dictionary<string, string?> _settings;
    private readonly string? _environmentName;

    /// <param name="dataDirectory">Reuse a folder (a restart); null for a fresh one deleted on dispose.</param>
    /// <param name="time">Share a clock across restarts; null for one set to the real current time.</param>
    /// <param name="settings">Configuration keys; null for <see cref="DefaultSettings"/>.</param>
    /// <param name="environmentName">The host environment; null for the test host's default (Development).</param>
    public SignetHost(string? dataDirectory = null, FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null,
        string? environmentName = null)
    {
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("signet-server-tests-").FullName;
        Time = time ?? new FakeTimeProvider(DateTimeOffset.UtcNow);
        _settings = settings ?? DefaultSettings();
        _environmentName = environmentName;
    }

    public string DataDirectory { get; }

    /// <summary>The server's clock, starting at the real current time; tests move it to separate events in time.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>Run on the real clock instead of <see cref="Time"/> (a browser's pages and the server share real time).</summary>
    public bool RealClock { get; init; }

    /// <summary>Keep the folder after dispose, for a restart on the same data.</summary>
    public bool KeepDataDirectory { get; set; }

    /// <summary>The administrator's password and an ECDSA CA, which starts faster than RSA on a busy machine (tests of
    /// the RSA default pass <see cref="RsaCaSettings"/>).</summary>
    public static Dictionary<string, string?> DefaultSettings(string password = AdminPassword) => new()
    {
        ["Signet:Admin:InitialPassword"] = password,
        ["Signet:Ca:KeyAlgorithm"] = "ECDSA-P256",
    };

    /// <summary>Settings for a host with the production CA default (RSA-2048).</summary>
    public static Dictionary<string, string?> RsaCaSettings() => new() { ["Signet:Admin:InitialPassword"] = AdminPassword };

    /// <summary>Changes the server's services after its own registrations (only a project that sees them can).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_environmentName is not null)
        {
            builder.UseEnvironment(_environmentName);
        }

        builder.UseSetting("Signet:DataDirectory", DataDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (!RealClock)
            {
                services.AddSingleton<TimeProvider>(Time);
            }

            ConfigureServices(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory && !KeepDataDirectory)
        {
            TempFolder.TryDelete(DataDirectory);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDataDirectory && !KeepDataDirectory)
        {
            TempFolder.TryDelete(DataDirectory);
        }

        GC.SuppressFinalize(this);
    }
}
