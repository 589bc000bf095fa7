using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Signet.Server.AdminApi;

internal static class AdminApiExtensions
{
    /// <summary>Accepts administrators from any admin scheme; the console's cookie scheme joins this list, for changes only
    /// from the console's own origin (<see cref="ConsoleCookieGuard"/>).</summary>
    public const string Policy = "Admin";

    public static WebApplicationBuilder AddAdminApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>()
            .BindConfiguration(AdminOptions.Section)
            .Validate(o => o.TokenLifetimeMinutes is >= 1 and <= 43_200, "Signet:Admin:TokenLifetimeMinutes must be 1..43200.")
            .Validate(o => o.MaxFailedLogins is >= 1 and <= 100, "Signet:Admin:MaxFailedLogins must be 1..100.")
            .Validate(o => o.MaxFailedLoginsPerAddress is >= 1 and <= 10_000, "Signet:Admin:MaxFailedLoginsPerAddress must be 1..10000.")
            .Validate(o => o.LockoutMinutes is >= 1 and <= 1_440, "Signet:Admin:LockoutMinutes must be 1..1440.")
            .Validate(o => o.LoginPermitsPerMinute is >= 1 and <= 100_000, "Signet:Admin:LoginPermitsPerMinute must be 1..100000.")
            .Validate(o => o.InitialPassword is null or "" || o.InitialPassword.Length >= 8,
                "Signet:Admin:InitialPassword must be at least 8 characters.")
            .ValidateOnStart();
        // Admin bodies are the ones the framework binds (agent bodies are read by JsonBody and stay tolerant of newer
        // agents): a field the server does not know is refused, so a misspelt setting is never silently ignored.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow);
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminBearerHandler>(AdminBearerHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policy, policy => policy
                .AddAuthenticationSchemes(AdminBearerHandler.SchemeName, WebConsole.ConsoleExtensions.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new ConsoleCookieGuard()));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminAuthorizationResults>();
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, LoginRateLimitPolicy>(LoginRateLimitPolicy.Name));
        builder.Services.AddSingleton<IPasswordHasher, PasswordHasher>();
        builder.Services.AddSingleton<DecoyPassword>();
        builder.Services.AddScoped<LoginThrottle>();
        builder.Services.AddSingleton<AdminAccountSetup>();
        builder.Services.AddScoped<AdminLogin>();
        return builder;
    }

    /// <summary>Logging in and out, and the group each feature maps its admin endpoints into (Program.cs lists them):
    /// <c>/api/v1</c>, for administrators only (<see cref="Policy"/>).</summary>
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapAdminAuth();
        return app.MapGroup("/api/v1").RequireAuthorization(Policy).WithTags("Admin");
    }
}
