using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Providers;
using Orleans.Runtime;
using Orleans.Streams;

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
            tracker.Read(offset, offset);
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
    public async Task Waiting_for_deliveries_ends_when_every_batch_read_is_delivered_or_the_partition_restarts()
    {
        var tracker = new DeliveryTracker();
        tracker.StartAt(0);
        Assert.True(tracker.AllDeliveredAsync().IsCompleted);

        tracker.Read(0, 9);
        tracker.Read(10, 19);
        var owed = tracker.AllDeliveredAsync();
        tracker.Delivered(10);
        Assert.False(owed.IsCompleted);
        tracker.Delivered(0);
        await owed.WaitAsync(TimeSpan.FromSeconds(10));

        tracker.Read(20, 29);
        var beforeRestart = tracker.AllDeliveredAsync();
        Assert.False(beforeRestart.IsCompleted);
        tracker.StartAt(20);
        await beforeRestart.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_batch_is_owed_until_it_is_delivered_whole_and_then_releases_every_offset_it_carries()
    {
        var tracker = new DeliveryTracker();
        tracker.StartAt(100);
        tracker.Read(100, 109);
        tracker.Read(110, 149);

        tracker.Delivered(110);
        Assert.Equal(100, tracker.Watermark);

        tracker.Delivered(100);
        Assert.Equal(150, tracker.Watermark);
    }

    [Fact]
    public void Offsets_the_broker_never_returned_are_owed_to_nobody()
    {
        var tracker = new DeliveryTracker();
        tracker.StartAt(0);
        tracker.Read(0, 0);
        tracker.Read(5, 5); // 1-4 were compacted or deleted
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

    /// <summary>
    /// The pulling agent's loop around one consumer, as Orleans runs it: move, take the current message, deliver it; on
    /// a delivery that failed for the whole delivery time it records the failure on the cursor and goes on moving.
    /// </summary>
    [Fact]
    public void A_message_whose_delivery_failed_is_handed_out_again_in_order_and_only_then_reported_delivered()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var delivered = new List<long>();
        var gaveUp = new List<long>();
        var cursor = new DeliveryTrackingCursor(new ListCursor(Batches(0, 1, 2)), b => delivered.Add(Offset(b)), TimeSpan.FromMinutes(5), clock,
            (b, _) => gaveUp.Add(Offset(b)));
        var attempts = new List<long>();

        // Offset 1 cannot be delivered twice in a row (its consumer's silo is stopping), then it can.
        var failuresLeft = 2;
        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            var batch = cursor.GetCurrent(out _)!;
            attempts.Add(Offset(batch));
            if (Offset(batch) == 1 && failuresLeft-- > 0)
            {
                clock.Advance(TimeSpan.FromSeconds(15));
                cursor.RecordDeliveryFailure();
                Assert.DoesNotContain(1L, delivered);
            }
        }

        Assert.Equal([0L, 1, 1, 1, 2], attempts);
        Assert.Equal([0L, 1, 2], delivered);
        Assert.Empty(gaveUp);
    }

    [Fact]
    public void A_message_that_keeps_failing_is_given_up_after_the_retry_time_and_its_stream_moves_on()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        var delivered = new List<long>();
        var gaveUp = new List<(long Offset, TimeSpan FailingFor)>();
        var cursor = new DeliveryTrackingCursor(new ListCursor(Batches(0, 1, 2)), b => delivered.Add(Offset(b)), TimeSpan.FromSeconds(40), clock,
            (b, failingFor) => gaveUp.Add((Offset(b), failingFor)));
        var attempts = new List<long>();

        while (cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success)
        {
            var batch = cursor.GetCurrent(out _)!;
            attempts.Add(Offset(batch));
            if (Offset(batch) == 1)
            {
                clock.Advance(TimeSpan.FromSeconds(15));
                cursor.RecordDeliveryFailure();
            }
        }

        // Failures at 15, 30, 45 and 60 s; counted from the first one, 0, 15 and 30 s are retried, 45 s is past 40 s.
        Assert.Equal([0L, 1, 1, 1, 1, 2], attempts);
        Assert.Equal([(1L, TimeSpan.FromSeconds(45))], gaveUp);
        Assert.Equal([0L, 1, 2], delivered);
    }

    private static List<IBatchContainer> Batches(params long[] offsets) =>
        [.. offsets.Select(o => (IBatchContainer)new KafkaBatchContainer(
            StreamId.Create("patient", "p-1"), new BrokerRecordBatch([new BrokerRecord("flow", 0, o, DateTime.UnixEpoch, "p-1", [])])))];

    private static long Offset(IBatchContainer batch) => ((KafkaBatchContainer)batch).FirstOffset;

    /// <summary>A cache cursor over a fixed list, as Orleans' simple cache behaves for one stream.</summary>
    private sealed class ListCursor(List<IBatchContainer> batches) : IQueueCacheCursor
    {
        private int _index = -1;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _index >= 0 && _index < batches.Count ? batches[_index] : null;
        }

        public QueueCacheCursorMoveResult MoveNextWithResult() =>
            ++_index < batches.Count ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

        [Obsolete("Use MoveNextWithResult instead.")]
        public bool MoveNext() => MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

        public void Refresh(StreamSequenceToken token)
        {
        }

        public void RecordDeliveryFailure()
        {
        }

        public void Dispose()
        {
        }
    }
}
