namespace HealthcareOrleans.Medallion.Flush;

/// <summary>
/// Exponential backoff between failed flushes: <c>first, 2×first, 4×first…</c> capped at <c>max</c>. A lake that is
/// briefly unreachable is retried quickly; one that stays down is not hammered, and the status says when the next try is.
/// </summary>
public sealed class FlushBackoff(TimeSpan first, TimeSpan max)
{
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Counts a failure and returns how long to wait before the next attempt.</summary>
    public TimeSpan Failed()
    {
        ConsecutiveFailures++;
        // 2^30 × any sane first delay overflows TimeSpan long before; the cap is reached far earlier anyway.
        var exponent = Math.Min(ConsecutiveFailures - 1, 30);
        var delay = first * Math.Pow(2, exponent);
        return delay > max ? max : delay;
    }

    public void Succeeded() => ConsecutiveFailures = 0;
}
