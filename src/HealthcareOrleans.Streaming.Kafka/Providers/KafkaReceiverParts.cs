using Confluent.Kafka;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>The receiver parts that talk to the broker and the checkpoint store.</summary>
internal sealed partial class KafkaReceiverParts(
    string providerName,
    KafkaStreamOptions options,
    IPartitionCheckpointStore checkpointStore,
    IKafkaDataAdapter dataAdapter,
    ILoggerFactory loggerFactory,
    TimeProvider timeProvider,
    ILeaseHolderMembership? membership) : IReceiverPartsFactory
{
    public IPartitionLease CreateLease(PartitionCheckpointKey key, ILogger logger) =>
        new PartitionLease(checkpointStore as IPartitionOwnershipStore, key, options.PartitionLease, timeProvider, logger, membership);

    public IPartitionConsumer CreateConsumer(int partition, ILogger logger)
    {
        var consumer = new ConsumerBuilder<string?, byte[]?>(KafkaClientConfigs.ForReceiver(options, providerName, partition))
            .SetLogHandler((_, message) => LogLibrdkafka(logger, message.Level, message.Facility, message.Message))
            .Build();
        return new KafkaPartitionConsumer(consumer, new TopicPartition(options.Topic, new Partition(partition)), options, dataAdapter, timeProvider, loggerFactory);
    }

    public IPartitionCheckpointer CreateCheckpointer(
        PartitionCheckpointKey key, long? loaded, Action<long> afterSave, PartitionTracker tracker, Func<long?>? durableLimit) =>
        new PartitionCheckpointer(
            checkpointStore,
            key,
            loaded,
            options.CheckpointInterval,
            afterSave,
            tracker,
            loggerFactory.CreateLogger<PartitionCheckpointer>(),
            timeProvider,
            options.CheckpointSettleDelay,
            durableLimit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "librdkafka {Level} {Facility}: {Message}")]
    private static partial void LogLibrdkafka(ILogger logger, SyslogLevel level, string facility, string message);
}
