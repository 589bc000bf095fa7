namespace Signet.Agent.DeviceIdentity;

/// <summary>Who this computer is: the hardware UUID that names it to the server, and what else the OS tells.</summary>
internal sealed record ComputerIdentity(string Udid, string? SerialNumber, string? Model);
