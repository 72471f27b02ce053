using Microsoft.Extensions.Logging;
using Orleans.Streaming.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Opens the hub side of one partition: Event Hubs over AMQP in production (<see cref="AmqpPartitionReceivers"/>); a
/// generator receiver where no namespace can be reached. Register one keyed by the provider name to replace it.
/// </summary>
public interface IEventHubPartitionReceivers
{
    /// <param name="fromSequenceNumber">The first sequence number to read (inclusive); null: nothing is known of this partition, start as configured.</param>
    IEventHubReceiver Open(EventHubPartitionSettings settings, long? fromSequenceNumber, ILogger logger);
}
