using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Azure.Messaging.EventHubs;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using Microsoft.Extensions.Logging;
using Orleans.Streaming.EventHubs;
using Orleans.Streaming.EventHubs.Testing;

namespace HealthcareOrleans.Streaming.EventHubs.Testing;

/// <summary>
/// The hub side of each partition without an AMQP endpoint: the Event Hubs package's own generator receiver
/// (<see cref="EventHubPartitionGeneratorReceiver"/>) over a data generator that serves an <see cref="InMemoryHubPartition"/>
/// from the position the provider chose, as the service serves a partition from a sequence number. Register it keyed by
/// the provider name after <c>AddEventHubsPatientFlowStreams</c>.
/// </summary>
/// <remarks>
/// The package's <c>EventDataGeneratorAdapterFactory</c> is not used: it names partitions "partition-0"… (a hub names
/// them "0"…), ignores the start position (its sequence numbers restart at every open), produces Orleans-serialized
/// test payloads on streams placed by command, and its partition generator loops without end once every stream has
/// stopped producing; it could neither carry patient-flow events nor show where a restart resumes.
/// </remarks>
public sealed class GeneratorPartitionReceivers(IReadOnlyList<InMemoryHubPartition> partitions) : IEventHubPartitionReceivers
{
    public IEventHubReceiver Open(EventHubPartitionSettings settings, long? fromSequenceNumber, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var log = partitions[int.Parse(settings.Partition, CultureInfo.InvariantCulture)];
        log.Opened(fromSequenceNumber);
        return new EventHubPartitionGeneratorReceiver(new PartitionGenerator(log, fromSequenceNumber ?? 0));
    }

    private sealed class PartitionGenerator(InMemoryHubPartition log, long next) : IDataGenerator<EventData>
    {
        public bool TryReadEvents(int maxCount, [NotNullWhen(true)] out IEnumerable<EventData>? events)
        {
            var read = log.Read(next, maxCount);
            next += read.Count;
            events = read;
            return read.Count > 0;
        }
    }
}
