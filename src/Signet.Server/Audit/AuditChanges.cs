using System.Globalization;
using System.Text.RegularExpressions;

namespace Signet.Server.Audit;

/// <summary>One field of an audit event's details: a value, or a change from <see cref="Old"/> to <see cref="New"/>.</summary>
internal sealed record AuditField(string Name, string? Old, string New)
{
    public bool IsChange => Old is not null;
}

/// <summary>Audit details as a person reads them: <c>name=value</c> pairs separated by <c>; </c>, a change written as
/// <c>name=old → new</c>. Writers use <see cref="Describe"/>; the console and the CSV export use <see cref="Parse"/>.</summary>
internal static partial class AuditChanges
{
    public const string Arrow = " → ";

    /// <summary>The fields whose value changed, as <c>name=old → new</c>; "no change" when none did.</summary>
    public static string Describe(params (string Name, object Old, object New)[] fields)
    {
        var changed = fields.Where(f => !Equals(f.Old, f.New)).Select(f => $"{f.Name}={Text(f.Old)}{Arrow}{Text(f.New)}").ToList();
        return changed.Count == 0 ? "no change" : string.Join("; ", changed);
    }

    /// <summary>The fields of stored details. Details written before this format (a record dump such as
    /// <c>old: SecuritySettings { A = 1, … }; new: SecuritySettings { A = 2, … }</c>) are read field by field too.</summary>
    public static IReadOnlyList<AuditField> Parse(string? details)
    {
        if (string.IsNullOrWhiteSpace(details))
        {
            return [];
        }

        if (RecordDump().Match(details) is { Success: true } dump)
        {
            var old = Members(dump.Groups["old"].Value);
            var @new = Members(dump.Groups["new"].Value);
            return [.. @new.Where(n => !old.TryGetValue(n.Key, out var o) || o != n.Value)
                .Select(n => new AuditField(Camel(n.Key), old.GetValueOrDefault(n.Key), n.Value))];
        }

        return [.. details.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = equals > 0 ? (part[..equals], part[(equals + 1)..]) : ("", part);
            var arrow = value.IndexOf(Arrow, StringComparison.Ordinal);
            return arrow >= 0 ? new AuditField(name, value[..arrow], value[(arrow + Arrow.Length)..]) : new AuditField(name, null, value);
        })];
    }

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static Dictionary<string, string> Members(string body) => body.Split(", ", StringSplitOptions.TrimEntries)
        .Select(m => m.Split(" = ", 2))
        .Where(kv => kv.Length == 2)
        .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    [GeneratedRegex(@"^old: \w+ \{ (?<old>.*) \}; new: \w+ \{ (?<new>.*) \}$")]
    private static partial Regex RecordDump();
}
