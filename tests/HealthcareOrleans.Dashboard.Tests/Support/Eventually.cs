using System.Diagnostics;

namespace HealthcareOrleans.Dashboard.Tests.Support;

/// <summary>Waits on a condition, polling; never a fixed sleep standing in for one.</summary>
public static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static Task Until(Func<bool> condition, TimeSpan timeout, Func<string> what) =>
        Until(() => Task.FromResult(condition()), timeout, what);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds:F0} s for {what()}.");
            }

            await Task.Delay(Poll);
        }
    }
}
