using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Medallion.Bronze;

namespace HealthcareOrleans.Grains.Tests.Lake;

public sealed class BronzePartitionBufferTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_receiver_that_rereads_from_its_checkpoint_does_not_buffer_an_offset_twice()
    {
        var buffer = new BronzePartitionBuffer();
        for (var offset = 0; offset < 10; offset++)
        {
            buffer.Add(Record(offset), At);
        }

        for (var offset = 4; offset < 15; offset++)
        {
            buffer.Add(Record(offset), At);
        }

        Assert.Equal(Enumerable.Range(0, 15).Select(o => (long)o), buffer.Snapshot().Select(r => r.Offset));
    }

    [Fact]
    public void Only_rows_before_the_delivered_position_are_offered_for_a_commit()
    {
        var buffer = new BronzePartitionBuffer();
        for (var offset = 0; offset < 10; offset++)
        {
            buffer.Add(Record(offset), At);
        }

        Assert.Equal([0L, 1L, 2L, 3L], buffer.Snapshot(beforeOffset: 4).Select(r => r.Offset));
        Assert.Equal(10, buffer.Snapshot(beforeOffset: 50).Length);
        Assert.Empty(buffer.Snapshot(beforeOffset: 0));
    }

    [Fact]
    public void A_handover_forgets_the_undelivered_rows_so_that_reading_them_again_buffers_them_again()
    {
        var buffer = new BronzePartitionBuffer();
        for (var offset = 0; offset < 10; offset++)
        {
            buffer.Add(Record(offset), At);
        }

        buffer.ForgetFrom(6);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], buffer.Snapshot().Select(r => r.Offset));

        buffer.Add(Record(6), At);
        buffer.Add(Record(7), At);
        Assert.Equal(8, buffer.Count);
    }

    [Fact]
    public void Rows_committed_by_any_writer_are_dropped_and_later_ones_kept_in_order()
    {
        var buffer = new BronzePartitionBuffer();
        for (var offset = 0; offset < 10; offset++)
        {
            buffer.Add(Record(offset), At.AddSeconds(offset));
        }

        buffer.DropThrough(6);

        Assert.Equal([7L, 8L, 9L], buffer.Snapshot().Select(r => r.Offset));
        Assert.Equal(At.AddSeconds(7), buffer.OldestReceivedAt);
        buffer.DropThrough(100);
        Assert.Equal(0, buffer.Count);
        Assert.Null(buffer.OldestReceivedAt);
    }

    private static BrokerRecord Record(long offset) => new("patient-flow", 0, offset, At.UtcDateTime, "P1", [1, 2, 3]);
}
