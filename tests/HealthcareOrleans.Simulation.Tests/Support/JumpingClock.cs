namespace HealthcareOrleans.Simulation.Tests.Support;

/// <summary>
/// A wall clock for tests that never really waits: creating a timer moves the clock to the timer's due time and
/// fires it (on the thread pool, as a real timer would). Waiting for real time therefore costs nothing, and the clock
/// only ever shows times the code under test asked to wait for.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, Math.Max(0, dueTime.Ticks));
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new FiredTimer();
    }

    private sealed class FiredTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
