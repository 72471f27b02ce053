using System.Globalization;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// The read side of the topic for Orleans: one receiver per queue, each queue one partition. Producers write to Kafka
/// with any Kafka client (keyed as the data adapter expects), so this adapter does not accept Orleans-side writes.
/// </summary>
internal sealed class KafkaQueueAdapter(
    string name,
    HashRingBasedPartitionedStreamQueueMapper queueMapper,
    Func<int, IQueueAdapterReceiver> createReceiver) : IQueueAdapter
{
    public string Name => name;

    // Kafka could rewind, but SimpleQueueCache cannot serve old tokens; claiming it would promise what we cannot keep.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadOnly;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException(
            $"Stream provider '{name}' reads Kafka only. Produce to the topic with a Kafka client.");

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        createReceiver(int.Parse(queueMapper.QueueToPartition(queueId), NumberStyles.None, CultureInfo.InvariantCulture));
}
