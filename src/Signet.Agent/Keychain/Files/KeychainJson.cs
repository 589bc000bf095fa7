using System.Text.Json;
using System.Text.Json.Serialization;

namespace Signet.Agent.Keychain.Files;

/// <summary>How the keychain's JSON files (agent.json, enrollment.json) are written and read.</summary>
internal static class KeychainJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Write<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    /// <summary>The value, or null when the JSON does not parse.</summary>
    public static T? Read<T>(ReadOnlySpan<byte> json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
