namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>A clock the test moves: wall time and timestamps advance only by <see cref="Advance"/>.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;
}
