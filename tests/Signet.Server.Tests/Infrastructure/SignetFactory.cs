using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Signet.Server.AdminApi;
using Signet.Testing.Hosting;

namespace Signet.Server.Tests.Infrastructure;

/// <summary>The kit's in-process host in the "Testing" environment, with fast password hashing.</summary>
public sealed class SignetFactory(string? dataDirectory = null, FakeTimeProvider? time = null, Dictionary<string, string?>? settings = null)
    : SignetHost(dataDirectory, time, settings, "Testing")
{
    protected override void ConfigureServices(IServiceCollection services) => FastLogins(services);

    /// <summary>600,000 iterations per login would dominate the suite; the hash code path is the same.</summary>
    public static void FastLogins(IServiceCollection services) => services.PostConfigure<AdminOptions>(o => o.PasswordIterations = 1_000);
}
