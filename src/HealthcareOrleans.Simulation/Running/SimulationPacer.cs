namespace HealthcareOrleans.Simulation.Running;

/// <summary>
/// Maps simulated time onto the wall clock. A message is released only when (1) the wall clock has reached its
/// simulated release time — the engine rejects events from the future, so the simulation waits for real time once it
/// catches up — (2) the speed-up allows it, and (3) the rate limit allows it. Speed and rate tolerate a millisecond
/// of lateness so that thousands of messages per second do not each pay for a timer; the wall-clock bound is strict.
/// </summary>
internal sealed class SimulationPacer
{
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(1);

    // Timers cannot wait arbitrarily long (Task.Delay caps near 49 days); waiting in slices also re-reads the clock.
    private static readonly TimeSpan LongestSingleWait = TimeSpan.FromHours(1);

    private readonly TimeProvider _clock;
    private readonly double _speed;
    private readonly double _rate;
    private readonly DateTimeOffset _simulatedStart;
    private readonly DateTimeOffset _realStart;
    private long _released;

    public SimulationPacer(TimeProvider clock, SimulationOptions options, DateTimeOffset simulatedStart)
    {
        _clock = clock;
        _speed = options.RunsAsFastAsPossible ? 0 : options.Speed;
        _rate = options.Rate;
        _simulatedStart = simulatedStart;
        _realStart = clock.GetUtcNow();
    }

    public async ValueTask WaitForReleaseAsync(DateTimeOffset releaseAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = _clock.GetUtcNow();
            var wait = releaseAt - now;
            if (_speed > 0)
            {
                var due = _realStart + TimeSpan.FromSeconds((releaseAt - _simulatedStart).TotalSeconds / _speed);
                wait = Max(wait, due - now - Slack);
            }

            if (_rate > 0)
            {
                var due = _realStart + TimeSpan.FromSeconds(_released / _rate);
                wait = Max(wait, due - now - Slack);
            }

            if (wait <= TimeSpan.Zero)
            {
                break;
            }

            // Timers count whole milliseconds and treat less as no wait at all: round up, or a sub-millisecond wait
            // would spin (forever, on a clock that only moves when a timer is set).
            wait = TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));
            await Task.Delay(wait < LongestSingleWait ? wait : LongestSingleWait, _clock, cancellationToken).ConfigureAwait(false);
        }

        _released++;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
