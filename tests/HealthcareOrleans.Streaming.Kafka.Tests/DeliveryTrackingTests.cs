using HealthcareOrleans.Streaming.Kafka.Providers;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

public sealed class DeliveryTrackingTests
{
    [Fact]
    public void The_watermark_is_the_oldest_offset_still_owed_to_a_consumer()
    {
        var tracker = new DeliveryTracker();
        tracker.StartAt(100);
        Assert.Equal(100, tracker.Watermark);

        foreach (var offset in new long[] { 100, 101, 102, 103 })
        {
            tracker.Read(offset);
        }

        // Streams are delivered side by side: 101 and 103 finish before 100.
        tracker.Delivered(101);
        tracker.Delivered(103);
        Assert.Equal(100, tracker.Watermark);

        tracker.Delivered(100);
        Assert.Equal(102, tracker.Watermark);

        tracker.Delivered(102);
        Assert.Equal(104, tracker.Watermark);
    }

    [Fact]
    public void Offsets_the_broker_never_returned_are_owed_to_nobody()
    {
        var tracker = new DeliveryTracker();
        tracker.StartAt(0);
        tracker.Read(0);
        tracker.Read(5); // 1-4 were compacted or deleted
        tracker.Delivered(0);
        tracker.Delivered(5);

        Assert.Equal(6, tracker.Watermark);
    }

    [Fact]
    public void The_delivered_position_of_a_past_moment_is_the_last_mark_before_it()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var recent = new RecentRecordReplay(clock);
        var started = clock.GetUtcNow();
        recent.StartAt(10);
        for (var second = 1; second <= 90; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            recent.Delivered(10 + second * 100);
        }

        Assert.Equal(10 + 30 * 100, recent.DeliveredAt(started.AddSeconds(30.5)));
        Assert.Equal(10, recent.DeliveredAt(started.AddSeconds(-5)));
        Assert.Equal(10 + 90 * 100, recent.DeliveredAt(clock.GetUtcNow()));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
