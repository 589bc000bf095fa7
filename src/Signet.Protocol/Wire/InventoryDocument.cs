namespace Signet.Protocol.Wire;

/// <summary><c>POST /agent/v1/inventory</c> body: what the agent collected. Unknown values are null.</summary>
public sealed record InventoryDocument
{
    public required DateTimeOffset CollectedAt { get; init; }
    public OperatingSystemInfo? OperatingSystem { get; init; }
    public HardwareInfo? Hardware { get; init; }
    public IReadOnlyList<DiskInfo> Disks { get; init; } = [];
    public IReadOnlyList<NetworkInterfaceInfo> NetworkInterfaces { get; init; } = [];
    public IReadOnlyList<LocalUserInfo> LocalUsers { get; init; } = [];
    public IReadOnlyList<ApplicationInfo> Applications { get; init; } = [];

    /// <summary>True when the collector left items out to stay under the size cap.</summary>
    public bool Truncated { get; init; }
}

public sealed record OperatingSystemInfo(string? Name, string? Version, string? Kernel, string? Architecture);

public sealed record HardwareInfo(string? Model, string? SerialNumber, string? Cpu, int? CpuCores, long? MemoryBytes);

public sealed record DiskInfo(string Name, string? MountPoint, string? FileSystem, long? SizeBytes, long? FreeBytes);

public sealed record NetworkInterfaceInfo(string Name, string? MacAddress, IReadOnlyList<string> Addresses);

public sealed record LocalUserInfo(string Name, int? Uid, string? Home, string? Shell);

public sealed record ApplicationInfo(string Name, string? Version, string? Source);
