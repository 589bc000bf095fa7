using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Signet.Protocol.Wire;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;
using Signet.Server.DeviceAuthentication;

namespace Signet.Server.Computers;

/// <summary>One page of computers and how many match in all.</summary>
internal sealed record ComputerPage(IReadOnlyList<ComputerDto> Items, int Total);

/// <summary>A certificate in a computer's history, newest first.</summary>
internal sealed record CertificateHistoryItem(string SerialNumber, string Thumbprint, string Subject, DateTimeOffset NotBefore,
    DateTimeOffset NotAfter, DateTimeOffset IssuedAt, string Status, DateTimeOffset? SupersededAt, DateTimeOffset? RevokedAt,
    KeyProtection? KeyProtection);

/// <summary>The newest inventory of a computer, as received.</summary>
internal sealed record LatestInventory(DateTimeOffset ReceivedAt, InventoryDocument? Document);

/// <summary>Read side of computers for the admin API and the console. Last contact and signature outcomes are written in
/// batches, so every read first writes what is pending: readers always see current values.</summary>
internal sealed class ComputerQueries(SignetDbContext db, DeviceActivityRecorder activity, TimeProvider time)
{
    public Task<ComputerPage> ListAsync(string? search, int skip, int take, CancellationToken cancellationToken) =>
        ListAsync(new ComputerFilter(search), skip, take, cancellationToken);

    /// <summary>One page of the computers the filter selects, in its order (by name unless it says otherwise).
    /// Filters on certificates and time are applied in memory over the fleet's projection, the same on both databases.</summary>
    public async Task<ComputerPage> ListAsync(ComputerFilter filter, int skip, int take, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IEnumerable<FleetMember> members = await FleetAsync(filter.Search, cancellationToken);
        if (!string.IsNullOrWhiteSpace(filter.Status))
        {
            members = members.Where(m => m.Status == filter.Status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Os))
        {
            members = members.Where(m => $"{m.Computer.OsName} {m.Computer.OsVersion}".Contains(filter.Os.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        if (filter.NotSeenDays is { } days)
        {
            members = members.Where(m => m.NotSeenSince(now.AddDays(-Math.Clamp(days, 0, 36_500))));
        }

        if (filter.ExpiringDays is { } within)
        {
            members = members.Where(m => m.ExpiresBefore(now.AddDays(Math.Clamp(within, 0, 36_500))));
        }

        members = filter.Attention switch
        {
            ComputerFilter.LockedOut => members.Where(m => m.IsLockedOut),
            ComputerFilter.RenewalFailing => members.Where(m => m.RenewalFailing(now)),
            _ => members,
        };

        var selected = Sorted(members, filter.Sort).ToList();
        return new ComputerPage([.. selected.Skip(Math.Max(skip, 0)).Take(Math.Clamp(take, 1, 1000)).Select(m => ToDto(m.Computer, m.Certificate))],
            selected.Count);
    }

    /// <summary>Every enrolled computer (matching <paramref name="search"/> when given) with its current, else newest,
    /// certificate.</summary>
    public async Task<IReadOnlyList<FleetMember>> FleetAsync(string? search, CancellationToken cancellationToken)
    {
        await activity.FlushAsync(cancellationToken);
        var query = db.Computers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            query = query.Where(c => c.Udid.Contains(term) || (c.Hostname != null && c.Hostname.Contains(term)) ||
                (c.SerialNumber != null && c.SerialNumber.Contains(term)));
        }

        var computers = await query.ToListAsync(cancellationToken);
        var ids = computers.Select(c => c.Id).ToList();
        var certificates = await db.IssuedCertificates.AsNoTracking().Where(c => ids.Contains(c.ComputerId))
            .Select(c => new { c.ComputerId, c.SerialNumber, c.Thumbprint, c.Subject, c.NotBefore, c.NotAfter, c.Status, c.Id, c.KeyProtection, c.KeyToken })
            .ToListAsync(cancellationToken);
        var newest = certificates.GroupBy(c => c.ComputerId).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.Status == CertificateStatus.Current).ThenByDescending(c => c.Id).First());
        return [.. computers.Select(c => new FleetMember(c, newest.TryGetValue(c.Id, out var cert)
            ? new CertificateDto(cert.SerialNumber, cert.Thumbprint, cert.Subject, cert.NotBefore, cert.NotAfter, cert.Status.ToName(),
                Protection(cert.KeyProtection, cert.KeyToken))
            : null))];
    }

    private static IEnumerable<FleetMember> Sorted(IEnumerable<FleetMember> members, string? sort)
    {
        var descending = sort?.StartsWith('-') == true;
        IOrderedEnumerable<FleetMember> ordered = (sort?.TrimStart('-')) switch
        {
            // Refused first: what needs attention leads.
            "status" => Order(members, m => m.IsValid ? 2 : m.Computer.LastSignatureOutcome is null ? 1 : 0, descending)
                .ThenBy(m => m.Status, StringComparer.Ordinal),
            "os" => Order(members, m => $"{m.Computer.OsName} {m.Computer.OsVersion}", descending),
            "last-contact" => Order(members, m => m.Computer.LastContactAt ?? DateTimeOffset.MinValue, descending),
            "expiry" => Order(members, m => m.Certificate?.NotAfter ?? DateTimeOffset.MaxValue, descending),
            _ => Order(members, m => m.Computer.Hostname ?? m.Computer.Udid, descending),
        };
        return ordered.ThenBy(m => m.Computer.Hostname, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Computer.Id, StringComparer.Ordinal);
    }

    private static IOrderedEnumerable<FleetMember> Order<TKey>(IEnumerable<FleetMember> members, Func<FleetMember, TKey> key, bool descending) =>
        descending ? members.OrderByDescending(key) : members.OrderBy(key);

    /// <summary>The computer with its current (else newest) certificate, or null when no computer has that id.</summary>
    public async Task<ComputerDto?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await activity.FlushAsync(cancellationToken);
        var computer = await db.Computers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (computer is null)
        {
            return null;
        }

        // The current certificate; a renewed one waiting for its first use is not what the computer signs with yet.
        var certificate = await db.IssuedCertificates.AsNoTracking().Where(c => c.ComputerId == id)
            .OrderByDescending(c => c.Status == CertificateStatus.Current).ThenByDescending(c => c.Id)
            .FirstOrDefaultAsync(cancellationToken);
        return ToDto(computer, certificate is null ? null : new CertificateDto(certificate.SerialNumber,
            certificate.Thumbprint, certificate.Subject, certificate.NotBefore, certificate.NotAfter, certificate.Status.ToName(),
            Protection(certificate.KeyProtection, certificate.KeyToken)));
    }

    /// <summary>Host name (else UDID) of each id that names a computer, deleted ones included: audit subjects link to them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> NamesAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(id => Guid.TryParse(id, out _)).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        return await db.Computers.IgnoreQueryFilters().AsNoTracking().Where(c => wanted.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Hostname ?? c.Udid, cancellationToken);
    }

    /// <summary>Every certificate issued to the computer, newest first.</summary>
    public async Task<IReadOnlyList<CertificateHistoryItem>> CertificateHistoryAsync(string id, CancellationToken cancellationToken)
    {
        var rows = await db.IssuedCertificates.AsNoTracking().Where(c => c.ComputerId == id).OrderByDescending(c => c.Id)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(c => new CertificateHistoryItem(c.SerialNumber, c.Thumbprint, c.Subject, c.NotBefore, c.NotAfter,
            c.IssuedAt, c.Status.ToName(), c.SupersededAt, c.RevokedAt, Protection(c.KeyProtection, c.KeyToken)))];
    }

    /// <summary>The newest inventory, or null when none arrived yet. A document that no longer parses is returned without
    /// its content rather than failing the page.</summary>
    public async Task<LatestInventory?> LatestInventoryAsync(string id, CancellationToken cancellationToken)
    {
        var row = await db.InventorySubmissions.AsNoTracking().Where(i => i.ComputerId == id)
            .OrderByDescending(i => i.ReceivedAt).ThenByDescending(i => i.Id)
            .Select(i => new { i.ReceivedAt, i.Document })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        try
        {
            return new LatestInventory(row.ReceivedAt, JsonSerializer.Deserialize<InventoryDocument>(row.Document, SignetJson.Options));
        }
        catch (JsonException)
        {
            return new LatestInventory(row.ReceivedAt, null);
        }
    }

    private static KeyProtection? Protection(string? kind, string? token) => kind is null ? null : new KeyProtection(kind, token);

    public static ComputerDto ToDto(Computer c, CertificateDto? certificate) => new(
        c.Id, c.Udid, c.SerialNumber, c.Hostname, c.Model, c.OsName, c.OsVersion, c.EnrolledAt, c.LastContactAt, c.LastInventoryAt,
        certificate,
        c.LastSignatureOutcome is null ? null : new SignatureOutcomeDto(c.LastSignatureOutcome, c.LastSignatureAt, c.LastValidSignatureAt));
}
