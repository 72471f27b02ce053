namespace HealthcareOrleans.Lake.Tests.Infrastructure;

/// <summary>A clock the test moves by hand, so retention and timestamps need no sleeping.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
