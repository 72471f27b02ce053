using Confluent.Kafka;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.DataAdapters;

/// <summary>
/// Decides which Orleans stream a consumed Kafka message goes to, and whether consecutive messages of one stream taken
/// in one read share a batch container. The provider knows partitions and offsets, not what the messages mean; the
/// application maps them (by key, header or payload). Register one per provider
/// with <c>KafkaStreamsConfigurator.UseDataAdapter</c>, or as a service keyed by the provider's name; without one the
/// provider uses <see cref="KeyedStreamDataAdapter"/>.
/// </summary>
public interface IKafkaDataAdapter
{
    /// <summary>Called on the partition's consume thread for every message, in offset order: it must be cheap and must not throw, or the partition stops.</summary>
    StreamId GetStreamId(ConsumeResult<string?, byte[]?> consumed);

    /// <summary>
    /// True: consecutive messages of one stream taken in one read (up to <c>MaxBatchSize</c>) go in one container, so
    /// a stream per partition (<see cref="PartitionStreamDataAdapter"/>) costs one delivery per read, not one per
    /// message; a failed delivery is retried, and at worst given up, for the whole container, so its consumer should
    /// keep one message's failure from failing the others. False: one message per container.
    /// </summary>
    bool BatchesConsecutiveMessages { get; }
}
