using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Signet.Server.Tests.Infrastructure;

namespace Signet.Server.Tests;

public sealed class UnhandledErrorTests
{
    /// <summary>Adds, after the whole application pipeline, a step that fails on one path, as a bug would.</summary>
    internal sealed class FailingStep : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Run(context => context.Request.Path == "/boom"
                ? throw new InvalidOperationException("secret internal detail")
                : Task.CompletedTask);
        };
    }

    [Fact]
    public async Task UnhandledExceptionIsProblemDetailsWithoutInternals()
    {
        await using var factory = new SignetFactory();
        using var client = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddTransient<IStartupFilter, FailingStep>()))
            .CreateClient();

        var response = await client.GetAsync(new Uri("/boom", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var problem = await response.ProblemAsync();
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        var text = problem.ToString();
        Assert.DoesNotContain("secret internal detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }
}
