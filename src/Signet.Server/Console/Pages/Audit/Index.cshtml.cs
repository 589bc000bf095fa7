using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Audit;
using Signet.Server.Computers;

namespace Signet.Server.WebConsole.Pages.Audit;

/// <summary>The audit log, newest first, filtered by event kind, computer, refusal code, actor and a time range (UTC);
/// details field by field, subjects as links; the same selection as CSV.</summary>
internal sealed class IndexModel(AuditQuery audit, ComputerQueries computers, TimeProvider time) : PageModel
{
    /// <summary>The format of <c>&lt;input type="datetime-local"&gt;</c>; the console treats it as UTC.</summary>
    private const string LocalFormat = "yyyy-MM-ddTHH:mm";

    /// <summary>Rows in one CSV export, newest first.</summary>
    public const int CsvLimit = 5000;

    public string? Action { get; private set; }
    public string? Actor { get; private set; }
    public string? Computer { get; private set; }
    public string? Code { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public IReadOnlyList<string> Actions { get; private set; } = [];
    public IReadOnlyList<AuditEventDto> Items { get; private set; } = [];
    public IReadOnlyDictionary<string, string> ComputerNames { get; private set; } = new Dictionary<string, string>();
    public PagerView Pages { get; private set; } = null!;
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public string CsvUrl => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/console/audit",
        Query().Append(new("handler", "csv")).Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value));

    public async Task OnGetAsync(string? action, string? actor, string? computer, string? code, string? from, string? to, int? pageNumber,
        CancellationToken cancellationToken)
    {
        var filter = Read(action, actor, computer, code, from, to);
        var pager = new Pager(Pager.Requested(pageNumber), Pager.DefaultPageSize, 0);
        var result = await audit.SearchAsync(filter, pager.Skip, pager.PageSize, cancellationToken);
        pager = (pager with { Total = result.Total }).Clamped();
        if (result.Items.Count == 0 && result.Total > 0)
        {
            result = await audit.SearchAsync(filter, pager.Skip, pager.PageSize, cancellationToken);
        }

        Items = result.Items;
        ComputerNames = await computers.NamesAsync(Items.Select(e => e.Subject).OfType<string>().Append(Computer ?? ""), cancellationToken);
        Actions = await audit.ActionsAsync(cancellationToken);
        Pages = new PagerView(pager, "/console/audit", Query().ToDictionary(kv => kv.Key, kv => kv.Value));
    }

    /// <summary>The selected events as CSV (RFC 4180), one column per field a person filters on, details as readable text.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? action, string? actor, string? computer, string? code, string? from, string? to,
        CancellationToken cancellationToken)
    {
        var filter = Read(action, actor, computer, code, from, to);
        var events = (await audit.SearchAsync(filter, 0, CsvLimit, cancellationToken)).Items;
        var names = await computers.NamesAsync(events.Select(e => e.Subject).OfType<string>(), cancellationToken);
        var csv = new StringBuilder("time,actor,action,subject,subject name,source,details\r\n");
        foreach (var e in events)
        {
            var fields = AuditChanges.Parse(e.Details);
            csv.AppendJoin(',', new[]
            {
                ConsoleFormat.Iso(e.At), e.Actor, e.Action, e.Subject ?? "", e.Subject is { } s ? names.GetValueOrDefault(s, "") : "",
                fields.FirstOrDefault(f => f.Name == "source")?.New ?? "",
                string.Join("; ", fields.Where(f => f.Name != "source").Select(f => (f.Name.Length > 0 ? f.Name + ": " : "") +
                    (f.IsChange ? f.Old + AuditChanges.Arrow + f.New : f.New))),
            }.Select(Quote)).Append("\r\n");
        }

        var name = $"signet-audit-{time.GetUtcNow().ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture)}.csv";
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", name);
    }

    private AuditFilter Read(string? action, string? actor, string? computer, string? code, string? from, string? to)
    {
        (Action, Actor, Computer, Code, From, To) = (Clean(action), Clean(actor), Clean(computer), Clean(code), Clean(from), Clean(to));
        return new AuditFilter(Action, Actor, ParseTime(nameof(From), From), ParseTime(nameof(To), To), Computer, Code);
    }

    private IEnumerable<KeyValuePair<string, string?>> Query() =>
    [
        new("action", Action), new("actor", Actor), new("computer", Computer), new("code", Code), new("from", From), new("to", To),
    ];

    /// <summary>A CSV field, quoted when needed; a leading formula character is neutralised so a spreadsheet shows text.</summary>
    private static string Quote(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private DateTimeOffset? ParseTime(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParseExact(value, [LocalFormat, LocalFormat + ":ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var parsed) ||
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed))
        {
            return parsed.ToUniversalTime();
        }

        FieldErrors[field] = "Enter a date and time such as 2026-01-31T12:00.";
        return null;
    }
}
