using System.Diagnostics;

namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>Waits for a condition, polling; fails with a description instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<TimeSpan> TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(10);
        }

        return watch.Elapsed;
    }
}
