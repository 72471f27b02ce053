using System.Diagnostics;
using Xunit;

namespace HealthcareOrleans.Testing;

/// <summary>Waits for a condition, polling; fails with a description instead of sleeping a fixed time.</summary>
/// <remarks>
/// Test projects that must not depend on the rest of this project (the stream provider's own tests) link this file.
/// </remarks>
public static class Eventually
{
    // A condition that asks a process or a cluster costs a round trip: every 50 ms is often enough.
    private static readonly TimeSpan RemotePoll = TimeSpan.FromMilliseconds(50);

    // An in-memory condition is cheap, and callers time how long it took to come true: poll it closely.
    private static readonly TimeSpan InMemoryPoll = TimeSpan.FromMilliseconds(10);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.#} s: {await describe()}");
            }

            await Task.Delay(RemotePoll);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe) =>
        TrueAsync(condition, timeout, () => Task.FromResult(describe()));

    /// <summary>Returns how long the condition took to come true.</summary>
    public static async Task<TimeSpan> TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(InMemoryPoll);
        }

        return watch.Elapsed;
    }
}
