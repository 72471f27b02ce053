using System.Collections.Concurrent;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>The receivers of one provider on this silo, by partition: Orleans creates them; silo-wide services reach them here.</summary>
internal sealed class KafkaReceiverRegistry
{
    private readonly ConcurrentDictionary<int, KafkaQueueAdapterReceiver> _receivers = new();

    public void Register(int partition, KafkaQueueAdapterReceiver receiver) => _receivers[partition] = receiver;

    public bool TryGet(int partition, out KafkaQueueAdapterReceiver receiver) => _receivers.TryGetValue(partition, out receiver!);

    public IReadOnlyList<KafkaQueueAdapterReceiver> All => [.. _receivers.Values];
}
