namespace Signet.Testing;

/// <summary>What a kit helper throws when the server did not answer as the helper expects (the kit has no xunit: the
/// benchmarks use it too); the message says what was asked and what came back.</summary>
public sealed class KitExpectationException(string message) : Exception(message)
{
    /// <summary>Throws with the response's status and body unless it has the <paramref name="expected"/> status (or,
    /// when null, any success status).</summary>
    public static async Task EnsureAsync(HttpResponseMessage response, string what, System.Net.HttpStatusCode? expected = null)
    {
        if (expected is { } status ? response.StatusCode == status : response.IsSuccessStatusCode)
        {
            return;
        }

        var body = response.Content is null ? "" : await response.Content.ReadAsStringAsync();
        throw new KitExpectationException(
            $"{what}: expected {(expected is null ? "a success status" : $"{(int)expected} {expected}")}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
    }

    public static void That(bool condition, string message)
    {
        if (!condition)
        {
            throw new KitExpectationException(message);
        }
    }
}
