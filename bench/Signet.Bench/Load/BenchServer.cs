namespace Signet.Bench.Load;

/// <summary>How a bench server is started: https or plain http, the CA's key algorithm, the database.</summary>
internal sealed record ServerSettings(bool Https = false, string? CaKey = null, BenchDatabase? Database = null);

/// <summary>The kit's <see cref="ServerProcess"/> as the load scenarios start it: from the server dll built next to the
/// bench, on a data folder the scenario owns, stopped with SIGTERM so it flushes, logging only warnings (and the banner,
/// whose CA fingerprint the kit checks over https).</summary>
internal static class BenchServer
{
    public static Task<ServerProcess> StartAsync(string dataDirectory, ServerSettings? settings = null, CancellationToken cancellationToken = default)
    {
        settings ??= new ServerSettings();
        var environment = new Dictionary<string, string>
        {
            // Console logging of every served-without-signature request would measure the console, not the server.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Signet.Server.Hosting.Banner"] = "Information",
        };
        // Tiered compilation takes minutes of traffic on a busy two-core machine to promote the ~30,000 methods of
        // the request paths (EF Core above all) to their final code, and that JIT work would be measured as the
        // server's cost. Compiling each method once, fully optimized, puts the JIT work into the warm-up instead.
        // SIGNET_BENCH_TIERED_JIT=1 keeps the default (tiered, with dynamic PGO).
        if (Environment.GetEnvironmentVariable("SIGNET_BENCH_TIERED_JIT") != "1")
        {
            environment["DOTNET_TieredCompilation"] = "0";
        }

        if (settings.CaKey is { } caKey)
        {
            environment["Signet__Ca__KeyAlgorithm"] = caKey;
        }

        foreach (var (name, value) in settings.Database?.ServerEnvironment() ?? [])
        {
            environment[name] = value;
        }

        return ServerProcess.StartAsync(new ServerProcessOptions
        {
            ServerDll = ServerDll(),
            Https = settings.Https,
            DataDirectory = dataDirectory,
            KeepDataDirectory = true,
            StopGracefully = true,
            // A first start (migrations, the CA key) can take minutes on a two-core machine busy with other work.
            ReadyTimeout = TimeSpan.FromSeconds(300),
            Environment = environment,
        }, cancellationToken);
    }

    /// <summary>The server dll built beside the bench, or the one named by <c>SIGNET_BENCH_SERVER_DLL</c> (to compare
    /// a build of another commit under the same bench).</summary>
    private static string ServerDll()
    {
        if (Environment.GetEnvironmentVariable("SIGNET_BENCH_SERVER_DLL") is { Length: > 0 } chosen)
        {
            return File.Exists(chosen) ? chosen : throw new InvalidOperationException($"SIGNET_BENCH_SERVER_DLL: {chosen} does not exist.");
        }

#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Signet.slnx")))
        {
            directory = directory.Parent;
        }

        var dll = directory is null ? null : Path.Combine(directory.FullName, "src", "Signet.Server", "bin", configuration, "net10.0", "signet-server.dll");
        return dll is not null && File.Exists(dll)
            ? dll
            : throw new InvalidOperationException($"signet-server.dll ({configuration}) was not found: build the solution first.");
    }
}
