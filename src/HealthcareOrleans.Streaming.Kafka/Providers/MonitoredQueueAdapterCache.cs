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
internal sealed class MonitoredQueueAdapterCache(
    int cacheSize,
    string providerName,
    string topic,
    HashRingBasedPartitionedStreamQueueMapper queueMapper,
    KafkaPartitionMonitor monitor,
    Action<int, IList<IBatchContainer>> deliveredAtHandover,
    Action<int, IBatchContainer> cursorPassed,
    ILoggerFactory loggerFactory) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        var partition = int.Parse(queueMapper.QueueToPartition(queueId), NumberStyles.None, CultureInfo.InvariantCulture);
        var cache = new HandoverQueueCache(
            new SimpleQueueCache(cacheSize, loggerFactory.CreateLogger($"{typeof(SimpleQueueCache).FullName}.{providerName}.{partition}")),
            purged => deliveredAtHandover(partition, purged),
            batch => cursorPassed(partition, batch));
        monitor.GetTracker(providerName, topic, partition).ObserveCache(() => cache.Size);
        return cache;
    }
}
