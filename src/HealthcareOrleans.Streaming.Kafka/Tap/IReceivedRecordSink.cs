using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.Kafka.Tap;

/// <summary>
/// A durable copy of every record the receivers read (the lake's Bronze layer), and the position it has made durable.
/// Optional: register one keyed by the stream provider's name. With a sink present the provider
/// <list type="bullet">
/// <item>hands it every record it reads, in partition order, from the consume thread (<see cref="Received"/> must only enqueue);</item>
/// <item>resumes a partition no later than <see cref="GetResumeOffsetAsync"/>, so the sink sees every offset at least once
/// and can drop what it already holds — exactly once for the sink, at least once for stream consumers;</item>
/// <item>never checkpoints past <see cref="GetDurableNextOffset"/>, so a restart cannot skip what the sink has not made durable;</item>
/// <item>tells it, through <see cref="Deliverable"/>, how far the partition's records have reached their consumers; the
/// sink makes durable only that far, so at a handover what the sink holds and what the consumers were given end at the
/// same offset;</item>
/// <item>calls <see cref="PartitionStoppingAsync"/> when a receiver lets go of a partition, before its final checkpoint,
/// so the next owner (maybe on another silo) finds the records durable and resumes exactly after them (dotnet/orleans#11242).</item>
/// </list>
/// </summary>
public interface IReceivedRecordSink
{
    /// <summary>
    /// One record as read. Called on the partition's consume thread; must not block or throw. The same offset may
    /// come again after a receiver restart: the sink drops what it has already seen.
    /// </summary>
    void Received(ReceivedPartition partition, BrokerRecord record);

    /// <summary>The next offset the sink still needs (one past the last it holds durably), or null when it holds none of this partition.</summary>
    ValueTask<long?> GetResumeOffsetAsync(ReceivedPartition partition, CancellationToken cancellationToken);

    /// <summary>Cheap, non-blocking: one past the last offset known durable, or null when nothing is durable yet.</summary>
    long? GetDurableNextOffset(ReceivedPartition partition);

    /// <summary>Every record of <paramref name="partition"/> before <paramref name="nextOffset"/> has reached its consumer.</summary>
    void Deliverable(ReceivedPartition partition, long nextOffset);

    /// <summary>
    /// The receiver of <paramref name="partition"/> stops reading: make what was received before
    /// <paramref name="deliveredNextOffset"/> durable now, and forget the rest — the next owner reads it again from there.
    /// Null: everything received.
    /// </summary>
    Task PartitionStoppingAsync(ReceivedPartition partition, long? deliveredNextOffset, CancellationToken cancellationToken);
}
