using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.DataAdapters;

/// <summary>
/// Every message of a partition goes to that partition's stream in <paramref name="streamNamespace"/> (the key is the
/// partition number). Each read then becomes one batch container carrying that read's records in offset order: one
/// consumer per partition fans them out, and Orleans' per-stream costs (cache cursor, delivery, handshake) are paid per
/// read instead of per message. Orleans' own advice for many small event sources (dotnet/orleans#5119).
/// </summary>
public sealed class PartitionStreamDataAdapter(string streamNamespace) : IKafkaDataAdapter
{
    private readonly ConcurrentDictionary<int, StreamId> _streams = new();

    public bool BatchesConsecutiveMessages => true;

    public StreamId GetStreamId(ConsumeResult<string?, byte[]?> consumed)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        return _streams.GetOrAdd(consumed.Partition.Value, static (partition, ns) => StreamId.Create(ns, partition.ToString(CultureInfo.InvariantCulture)), streamNamespace);
    }
}
