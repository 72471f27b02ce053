using Confluent.Kafka;
using HealthcareOrleans.Streaming.Kafka.Providers;

namespace HealthcareOrleans.Streaming.Kafka.DataAdapters;

/// <summary>
/// Decides what a consumed Kafka message becomes in Orleans: the stream it goes to and the batch that carries it. The
/// provider knows partitions and offsets, not what the messages mean; the application maps them (by key, header or
/// payload). Register one per provider with <c>KafkaStreamsConfigurator.UseDataAdapter</c>, or as a service keyed by the
/// provider's name; without one the provider uses <see cref="KeyedStreamDataAdapter"/>.
/// </summary>
public interface IKafkaDataAdapter
{
    /// <summary>
    /// Called on the partition's consume thread for every message, in offset order: it must be cheap and must not
    /// throw, or the partition stops. Build the batch with <see cref="BrokerRecords.From"/> so the payload is handed on,
    /// not copied.
    /// </summary>
    KafkaBatchContainer ToBatch(ConsumeResult<string?, byte[]?> consumed);
}
