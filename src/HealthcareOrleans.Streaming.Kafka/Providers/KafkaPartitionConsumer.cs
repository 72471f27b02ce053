using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>A Confluent consumer for one partition, assigned manually by its <see cref="KafkaPartitionReader"/>.</summary>
internal sealed class KafkaPartitionConsumer(
    IConsumer<string?, byte[]?> consumer,
    TopicPartition topicPartition,
    KafkaStreamOptions options,
    IKafkaDataAdapter dataAdapter,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IPartitionConsumer
{
    public WatermarkOffsets QueryWatermarkOffsets(TimeSpan timeout) => consumer.QueryWatermarkOffsets(topicPartition, timeout);

    public void Commit(long nextOffset) => consumer.Commit([new TopicPartitionOffset(topicPartition, new Offset(nextOffset))]);

    public IPartitionReader CreateReader(PartitionTracker tracker, Action<BrokerRecord>? tap) =>
        new KafkaPartitionReader(
            consumer, topicPartition, dataAdapter, options.PrefetchCount, dataAdapter.BatchesConsecutiveMessages ? options.MaxBatchSize : 1, tracker, options.WatermarkRefreshInterval, timeProvider,
            loggerFactory.CreateLogger<KafkaPartitionReader>(), tap);

    // Close (not only Dispose) leaves cleanly; with a manual assignment there is no group to leave, so it is quick.
    public void Close() => consumer.Close();

    public void Dispose() => consumer.Dispose();
}
