namespace Signet.Server.DeviceAuthentication;

/// <summary>keyid → device certificate entry. Lookups of cached entries never touch the database.</summary>
internal interface IDeviceKeyDirectory
{
    /// <summary>True when the answer is in memory; <paramref name="entry"/> is then the entry or null for a known-unknown keyid.</summary>
    bool TryGetCached(string keyId, out DeviceKeyEntry? entry);

    /// <summary>The entry, loaded from the database on a miss; null when no certificate has that keyid.</summary>
    ValueTask<DeviceKeyEntry?> FindAsync(string keyId, CancellationToken cancellationToken);

    /// <summary>Forgets the keyid after its certificate changed status (revoked, superseded, newly issued).</summary>
    void Invalidate(string keyId);
}
