using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Signet.Protocol.Signatures;
using Signet.Server.CertificateAuthority;
using Signet.Server.Data;

namespace Signet.Server.DeviceAuthentication;

/// <summary>Both directories over one bounded in-memory cache, filled from the database on a miss.</summary>
internal sealed class CachingDeviceDirectory : IDeviceKeyDirectory, IComputerDirectory, IDisposable
{
    // Positive entries are also refreshed now and then so a change made on another node is picked up.
    private static readonly TimeSpan PositiveLifetime = TimeSpan.FromMinutes(10);
    private readonly IServiceScopeFactory _scopes;
    private readonly MemoryCache _cache;
    private readonly TimeSpan _negativeLifetime;

    public CachingDeviceDirectory(IServiceScopeFactory scopes, IOptionsMonitor<DeviceSignatureOptions> options, TimeProvider time)
    {
        _scopes = scopes;
        var settings = options.Get(DeviceSignatureDefaults.AuthenticationScheme);
        // Entries expire on the injected clock, so a test that moves a fake clock sees them expire.
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = settings.KeyCacheSize, Clock = new CacheClock(time) });
        _negativeLifetime = settings.NegativeCacheDuration;
    }

    public bool TryGetCached(string keyId, out DeviceKeyEntry? entry)
    {
        if (_cache.TryGetValue(KeyIdKey(keyId), out var value))
        {
            entry = value as DeviceKeyEntry;
            return true;
        }

        entry = null;
        return false;
    }

    public async ValueTask<DeviceKeyEntry?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        if (TryGetCached(keyId, out var cached))
        {
            return cached;
        }

        DeviceKeyEntry? entry = null;
        if (keyId.Length == 64)
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
            var row = await (from c in db.IssuedCertificates.AsNoTracking()
                             join computer in db.Computers.IgnoreQueryFilters() on c.ComputerId equals computer.Id
                             where c.Thumbprint == keyId
                             select new { c.Der, c.ComputerId, computer.Udid, c.NotBefore, c.NotAfter, c.Status, c.GraceUntil })
                .FirstOrDefaultAsync(cancellationToken);
            if (row is not null && TryLoadKey(row.Der) is { } key)
            {
                entry = new DeviceKeyEntry(keyId, key, row.ComputerId, row.Udid, row.NotBefore, row.NotAfter, row.Status, row.GraceUntil);
            }
        }

        Store(KeyIdKey(keyId), entry);
        return entry;
    }

    public void Invalidate(string keyId) => _cache.Remove(KeyIdKey(keyId));

    public async ValueTask<string?> FindComputerIdAsync(string udid, CancellationToken cancellationToken)
    {
        var cacheKey = UdidKey(udid);
        if (_cache.TryGetValue(cacheKey, out var value))
        {
            return value as string;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var id = await db.Computers.AsNoTracking().Where(c => c.Udid == udid).Select(c => c.Id).FirstOrDefaultAsync(cancellationToken);
        Store(cacheKey, id);
        return id;
    }

    public async ValueTask<CheckInState?> FindCheckInStateAsync(string udid, string computerId, CancellationToken cancellationToken)
    {
        var cacheKey = CheckInKey(udid);
        if (_cache.TryGetValue(cacheKey, out var value) && value is CheckInState cached)
        {
            return cached;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SignetDbContext>();
        var row = await db.Computers.AsNoTracking()
            .Where(c => c.Id == computerId && c.Udid == udid)
            .Select(c => new
            {
                c.LastInventoryAt,
                Current = db.IssuedCertificates.Where(i => i.ComputerId == c.Id && i.Status == CertificateStatus.Current)
                    .Select(i => new { i.Thumbprint, i.NotBefore, i.NotAfter }).FirstOrDefault(),
                Pending = db.IssuedCertificates.Any(i => i.ComputerId == c.Id && i.Status == CertificateStatus.Pending),
            })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var state = new CheckInState(row.Current?.Thumbprint, row.Current?.NotBefore ?? default, row.Current?.NotAfter ?? default,
            row.Pending, row.LastInventoryAt);
        Store(cacheKey, state);
        return state;
    }

    public void InventoryReceived(string udid, DateTimeOffset at)
    {
        var cacheKey = CheckInKey(udid);
        if (_cache.TryGetValue(cacheKey, out var value) && value is CheckInState cached &&
            (cached.LastInventoryAt is not { } known || known < at))
        {
            // A certificate change racing this replaces or removes the entry; the database stays the truth either way.
            Store(cacheKey, cached with { LastInventoryAt = at });
        }
    }

    public void InvalidateUdid(string udid)
    {
        _cache.Remove(UdidKey(udid));
        _cache.Remove(CheckInKey(udid));
    }

    /// <summary>Forgets everything, when changes made elsewhere may have gone unannounced.</summary>
    public void InvalidateAll() => _cache.Clear();

    public void Dispose() => _cache.Dispose();

    private void Store(string cacheKey, object? value) =>
        _cache.Set(cacheKey, value ?? Missing, new MemoryCacheEntryOptions
        {
            Size = 1,
            AbsoluteExpirationRelativeToNow = value is null ? _negativeLifetime : PositiveLifetime,
        });

    private static readonly object Missing = new();

    private static string KeyIdKey(string keyId) => "k:" + keyId;

    private static string UdidKey(string udid) => "u:" + udid;

    private static string CheckInKey(string udid) => "c:" + udid;

    private sealed class CacheClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    private static VerificationKey? TryLoadKey(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return VerificationKey.FromCertificate(certificate);
        }
        catch (Exception e) when (e is CryptographicException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }
}
