using System.Collections.Concurrent;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>One delivery as a recorder grain saw it; <c>Sequence</c> orders deliveries across all grains.</summary>
public sealed record Delivery(string Namespace, string GrainKey, BrokerRecord Record, long Sequence);

/// <summary>
/// What the recorder grains received. Static because grains live in silos the test cannot hand objects to; tests that
/// use it run one at a time (collection "cluster").
/// </summary>
public static class DeliverySink
{
    private static long s_sequence;

    public static ConcurrentQueue<Delivery> Deliveries { get; } = new();

    /// <summary>Optional consumer behaviour (delay, throw) run before a record is recorded.</summary>
    public static Func<BrokerRecord, Task>? Behavior { get; set; }

    public static long NextSequence => Interlocked.Read(ref s_sequence);

    public static void Record(string @namespace, string grainKey, BrokerRecord record) =>
        Deliveries.Enqueue(new Delivery(@namespace, grainKey, record, Interlocked.Increment(ref s_sequence)));

    /// <summary>Whole deliveries of a stream per partition, with the stream key they came on.</summary>
    public static ConcurrentQueue<(string GrainKey, BrokerRecordBatch Batch)> Batches { get; } = new();

    public static void RecordBatch(string grainKey, BrokerRecordBatch batch) => Batches.Enqueue((grainKey, batch));

    public static void Reset()
    {
        Deliveries.Clear();
        Batches.Clear();
        Behavior = null;
    }
}
