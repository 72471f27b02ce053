using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Makes the parts a <see cref="KafkaQueueAdapterReceiver"/> coordinates — lease, broker client (and through it the
/// reader), checkpointer — so that the receiver's start and handover order can be checked without a broker or a cluster.
/// </summary>
internal interface IReceiverPartsFactory
{
    IPartitionLease CreateLease(PartitionCheckpointKey key, ILogger logger);

    /// <summary>A client for <paramref name="partition"/>; blocks on the network, so call it off the agent's scheduler.</summary>
    IPartitionConsumer CreateConsumer(int partition, ILogger logger);

    /// <param name="loaded">The checkpoint the receiver trusts, or null.</param>
    /// <param name="afterSave">Called with each saved offset.</param>
    /// <param name="durableLimit">The highest next offset that may be saved; null when unlimited.</param>
    IPartitionCheckpointer CreateCheckpointer(
        PartitionCheckpointKey key, long? loaded, Action<long> afterSave, PartitionTracker tracker, Func<long?>? durableLimit);
}
