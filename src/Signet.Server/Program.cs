var builder = WebApplication.CreateBuilder(args);

var app = builder.Build();

app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }));

app.Run();

/// <summary>Entry point; public so test hosts can find the assembly.</summary>
public partial class Program;
