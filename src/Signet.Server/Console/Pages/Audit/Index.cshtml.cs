using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Signet.Server.Audit;

namespace Signet.Server.WebConsole.Pages.Audit;

/// <summary>The audit log, newest first, filtered by action, actor and a time range (UTC).</summary>
internal sealed class IndexModel(AuditQuery audit) : PageModel
{
    /// <summary>The format of <c>&lt;input type="datetime-local"&gt;</c>; the console treats it as UTC.</summary>
    private const string LocalFormat = "yyyy-MM-ddTHH:mm";

    public string? Action { get; private set; }
    public string? Actor { get; private set; }
    public string? From { get; private set; }
    public string? To { get; private set; }
    public IReadOnlyList<string> Actions { get; private set; } = [];
    public IReadOnlyList<AuditEventDto> Items { get; private set; } = [];
    public PagerView Pages { get; private set; } = null!;
    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.Ordinal);

    public async Task OnGetAsync(string? action, string? actor, string? from, string? to, int? pageNumber, CancellationToken cancellationToken)
    {
        (Action, Actor, From, To) = (action?.Trim(), actor?.Trim(), from?.Trim(), to?.Trim());
        var filter = new AuditFilter(Action, Actor, ParseTime(nameof(From), From), ParseTime(nameof(To), To));
        var pager = new Pager(Pager.Requested(pageNumber), Pager.DefaultPageSize, 0);
        var result = await audit.SearchAsync(filter, pager.Skip, pager.PageSize, cancellationToken);
        pager = (pager with { Total = result.Total }).Clamped();
        if (result.Items.Count == 0 && result.Total > 0)
        {
            result = await audit.SearchAsync(filter, pager.Skip, pager.PageSize, cancellationToken);
        }

        Items = result.Items;
        Actions = await audit.ActionsAsync(cancellationToken);
        Pages = new PagerView(pager, "/console/audit",
            new Dictionary<string, string?> { ["action"] = Action, ["actor"] = Actor, ["from"] = From, ["to"] = To });
    }

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
