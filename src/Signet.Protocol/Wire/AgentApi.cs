using System.Text.Json;

namespace Signet.Protocol.Wire;

// The agent API bodies of docs/api.md. JSON is camelCase (see SignetJson.Options).

/// <summary>What the agent tells the server about the computer it runs on, and how it holds the key of the CSR.</summary>
public sealed record DeviceInfo(
    string Udid,
    string? SerialNumber,
    string? Hostname,
    string? Model,
    string? OsName,
    string? OsVersion,
    KeyProtection? KeyProtection = null);

/// <summary>How the agent says it holds a device key: <c>kind</c> <see cref="File"/> or <see cref="Pkcs11"/>, and for
/// a token its model. The agent's word, not a proof (docs/hardware-keys.md).</summary>
public sealed record KeyProtection(string Kind, string? Token = null)
{
    /// <summary>A key file in the keychain folder.</summary>
    public const string File = "file";

    /// <summary>A non-exportable key on a PKCS#11 token (TPM, smart card, HSM).</summary>
    public const string Pkcs11 = "pkcs11";
}

/// <summary><c>POST /agent/v1/enroll</c> request: an invitation code (none for a known computer asking to be
/// re-admitted, docs/lifecycle.md), a PEM PKCS#10 CSR and the device.</summary>
public sealed record EnrollRequest(string? Invitation, string Csr, DeviceInfo Device);

/// <summary><c>POST /agent/v1/enroll</c> 202 response and <c>GET /agent/v1/enrollment-requests/{requestId}</c> 202
/// body: the enrollment waits for an administrator. <see cref="RequestId"/> is a secret only this agent knows.</summary>
public sealed record EnrollmentHeldResponse(string? RequestId, string Status, int PollAfterSeconds)
{
    /// <summary>The one status a held request reports while waiting.</summary>
    public const string Pending = "pending";
}

/// <summary><c>POST /agent/v1/enroll</c> 201 response. Certificates are PEM.</summary>
public sealed record EnrollResponse(
    string ComputerId,
    string Certificate,
    IReadOnlyList<string> CaCertificates,
    int CheckInIntervalSeconds);

/// <summary><c>POST /agent/v1/checkin</c> request.</summary>
public sealed record CheckInRequest(string AgentVersion);

/// <summary><c>POST /agent/v1/checkin</c> response; <see cref="Actions"/> holds <see cref="AgentActions"/> values.</summary>
public sealed record CheckInResponse(string ComputerId, IReadOnlyList<string> Actions, int CheckInIntervalSeconds)
{
    /// <summary>How the server judged this request's signature: <c>valid</c>, or the problem code it would be refused
    /// with once certificate-based communication is enabled (it was served on <c>Signet-Device</c> alone). Optional: a
    /// server that does not say leaves it out.</summary>
    public string? Signature { get; init; }
}

/// <summary>Actions a check-in can ask the agent to carry out.</summary>
public static class AgentActions
{
    public const string Inventory = "inventory";
    public const string Renew = "renew";
}

/// <summary><c>POST /agent/v1/renew</c> request: a PEM CSR for the new key, and how that key is held.</summary>
public sealed record RenewRequest(string Csr, KeyProtection? KeyProtection = null);

/// <summary><c>POST /agent/v1/renew</c> response. Certificates are PEM.</summary>
public sealed record RenewResponse(string Certificate, IReadOnlyList<string> CaCertificates);

/// <summary>JSON settings shared by server and agent for the wire types.</summary>
public static class SignetJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
