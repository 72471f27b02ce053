using System.Collections.Concurrent;
using HealthcareOrleans.Contracts.Engine;

namespace HealthcareOrleans.Streaming.Kafka.Diagnostics;

/// <summary>
/// The partitions this silo currently reads, for the engine status report. A partition appears while its receiver
/// runs here and disappears when Orleans moves the queue to another silo.
/// </summary>
public sealed class KafkaPartitionMonitor : IPartitionProgressSource
{
    private readonly ConcurrentDictionary<(string Provider, string Topic, int Partition), PartitionTracker> _active = new();
    private readonly ConcurrentDictionary<(string Provider, string Topic, int Partition), PartitionTracker> _cached = new();

    /// <summary>The bootstrap servers of the broker the receivers read, as operators would give them to a producer.</summary>
    public string? BrokerAddress { get; internal set; }

    /// <summary>Progress of every partition read on this silo, ordered by topic and partition.</summary>
    public IReadOnlyList<PartitionProgress> GetPartitions()
    {
        var list = new List<PartitionProgress>(_active.Count);
        foreach (var tracker in _active.Values)
        {
            list.Add(tracker.ToProgress());
        }

        list.Sort(static (a, b) => a.Topic == b.Topic ? a.Partition.CompareTo(b.Partition) : string.CompareOrdinal(a.Topic, b.Topic));
        return list;
    }

    /// <summary>The trackers of running receivers, for tests and metric callbacks.</summary>
    public IReadOnlyCollection<PartitionTracker> ActiveTrackers => [.. _active.Values];

    /// <summary>
    /// The one tracker of a partition for the silo's lifetime: the cache (created by Orleans before the receiver)
    /// and the receiver both report into it, and a queue that returns to this silo keeps counting.
    /// </summary>
    internal PartitionTracker GetTracker(string providerName, string topic, int partition) =>
        _cached.GetOrAdd((providerName, topic, partition), static key => new PartitionTracker(key.Provider, key.Topic, key.Partition));

    internal void Activate(PartitionTracker tracker) => _active[(tracker.ProviderName, tracker.Topic, tracker.Partition)] = tracker;

    internal void Deactivate(PartitionTracker tracker) => _active.TryRemove((tracker.ProviderName, tracker.Topic, tracker.Partition), out _);
}
