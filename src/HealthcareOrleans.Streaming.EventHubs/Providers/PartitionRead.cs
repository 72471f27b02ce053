using Azure.Messaging.EventHubs;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// The records of one read of one partition, handed to Orleans' Event Hubs cache as one entry: the cache then holds
/// (and the pulling agent delivers) one batch per read instead of one message per event, which is what the partition
/// streams carry (<see cref="BrokerRecordBatch"/>). It travels as an <see cref="EventData"/> only because that is the
/// cache's input type; the provider's own code reads nothing from it but <see cref="EventData.EnqueuedTime"/> for
/// its age metrics, which stays at its default.
/// </summary>
internal sealed class PartitionRead(int partition, BrokerRecord[] records) : EventData
{
    public int Partition { get; } = partition;

    /// <summary>In sequence-number order, never empty.</summary>
    public BrokerRecord[] Records { get; } = records;

    public long LastSequenceNumber => Records[^1].Offset;
}
