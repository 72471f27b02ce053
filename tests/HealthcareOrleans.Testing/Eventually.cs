using System.Diagnostics;
using Xunit;

namespace HealthcareOrleans.Testing;

/// <summary>Waits for a condition, polling; fails with a description instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.#} s: {await describe()}");
            }

            await Task.Delay(50);
        }
    }
}
