using System.Diagnostics;

namespace Signet.Testing;

/// <summary>Polls a condition without asserting on how long it took, only that it held before the deadline.</summary>
public static class Eventually
{
    public static async Task<bool> WithinAsync(TimeSpan limit, Func<Task<bool>> condition)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (elapsed.Elapsed > limit)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }
}
