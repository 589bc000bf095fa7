namespace Signet.Server.WebConsole;

/// <summary>Paging for the console's lists: 1-based page numbers from the query string, clamped to what exists.</summary>
internal sealed record Pager(int Page, int PageSize, int Total)
{
    public const int DefaultPageSize = 25;

    /// <summary>Not "page": Razor Pages reserves that route value for the page's own name.</summary>
    public const string QueryName = "pageNumber";

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int Skip => (Page - 1) * PageSize;
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < PageCount;

    /// <summary>The requested page, at least 1; an out-of-range page shows the last one.</summary>
    public static int Requested(int? page) => Math.Clamp(page ?? 1, 1, 1_000_000);

    public Pager Clamped() => Page > PageCount ? this with { Page = PageCount } : this;
}

/// <summary>What the pager partial needs: where it is and the other query values to keep (search terms, filters).</summary>
internal sealed record PagerView(Pager Pager, string Path, IReadOnlyDictionary<string, string?> Query)
{
    public string Url(int page)
    {
        var values = Query.Where(kv => !string.IsNullOrEmpty(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
        values[Pager.QueryName] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Path, values);
    }
}
