using System.Globalization;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Orleans' <see cref="SimpleQueueCache"/>, one per partition, with its size visible to the monitor and a final
/// purge at handover (<see cref="HandoverQueueCache"/>).
/// SimpleQueueCache suits a log-based source whose broker stays the durability boundary: it hands back messages
/// (MessagesDeliveredAsync) as soon as every cursor has moved past them, which is exactly the checkpoint rule, and
/// it reports pressure once its buckets are full, which makes the pulling agent stop reading.
/// </summary>
internal sealed partial class MonitoredQueueAdapterCache(
    int cacheSize,
    string providerName,
    string topic,
    HashRingBasedPartitionedStreamQueueMapper queueMapper,
    KafkaPartitionMonitor monitor,
    Action<int, IList<IBatchContainer>> deliveredAtHandover,
    Action<int, IBatchContainer> cursorPassed,
    TimeSpan retryDeliveryFor,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : IQueueAdapterCache
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<MonitoredQueueAdapterCache>();

    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        var partition = int.Parse(queueMapper.QueueToPartition(queueId), NumberStyles.None, CultureInfo.InvariantCulture);
        var cache = new HandoverQueueCache(
            new SimpleQueueCache(cacheSize, loggerFactory.CreateLogger($"{typeof(SimpleQueueCache).FullName}.{providerName}.{partition}")),
            cacheSize,
            purged => deliveredAtHandover(partition, purged),
            batch => cursorPassed(partition, batch),
            retryDeliveryFor,
            clock,
            (batch, failingFor) => LogDeliveryGivenUp(topic, partition, (batch as KafkaBatchContainer)?.FirstOffset ?? -1, failingFor));
        monitor.GetTracker(providerName, topic, partition).ObserveCache(() => cache.Size);
        return cache;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka {Topic}/{Partition}: delivering the batch from offset {Offset} kept failing for {FailingFor}; skipped it so its stream moves on (its messages stay in Kafka and in Bronze)")]
    private partial void LogDeliveryGivenUp(string topic, int partition, long offset, TimeSpan failingFor);
}
