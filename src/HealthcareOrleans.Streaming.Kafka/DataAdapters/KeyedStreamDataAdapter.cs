using System.Collections.Concurrent;
using System.Globalization;
using Confluent.Kafka;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.DataAdapters;

/// <summary>
/// The default mapping: a keyed message goes to the stream named by its key in <paramref name="keyedNamespace"/>; an
/// unkeyed one to one stream per partition in <paramref name="unkeyedNamespace"/>, so nothing is dropped and its
/// consumer still sees the partition's order. One message per container: a consumer that fails on one message holds
/// up, and at worst loses, only that one.
/// </summary>
/// <param name="unkeyedNamespace">Defaults to <paramref name="keyedNamespace"/> followed by <c>-unkeyed</c>.</param>
public sealed class KeyedStreamDataAdapter(string keyedNamespace, string? unkeyedNamespace = null) : IKafkaDataAdapter
{
    private readonly string _unkeyedNamespace = unkeyedNamespace ?? keyedNamespace + "-unkeyed";
    private readonly ConcurrentDictionary<int, StreamId> _unkeyedStreams = new();

    public bool BatchesConsecutiveMessages => false;

    public StreamId GetStreamId(ConsumeResult<string?, byte[]?> consumed)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        var key = consumed.Message.Key;
        return string.IsNullOrEmpty(key)
            ? _unkeyedStreams.GetOrAdd(consumed.Partition.Value, static (partition, ns) => StreamId.Create(ns, partition.ToString(CultureInfo.InvariantCulture)), _unkeyedNamespace)
            : StreamId.Create(keyedNamespace, key);
    }
}
