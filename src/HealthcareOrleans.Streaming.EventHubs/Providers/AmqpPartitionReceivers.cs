using Azure.Identity;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Consumer;
using Azure.Messaging.EventHubs.Primitives;
using HealthcareOrleans.Streaming.EventHubs.Options;
using Microsoft.Extensions.Logging;
using Orleans.Streaming.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Reads a partition over AMQP with the SDK's <see cref="PartitionReceiver"/>, starting at a sequence number. Orleans'
/// own receiver starts at an Event Hubs offset; the positions here (checkpoint, Bronze) are sequence numbers, which the
/// service accepts as a start position just the same (<see cref="EventPosition.FromSequenceNumber"/>).
/// </summary>
public sealed partial class AmqpPartitionReceivers(EventHubsIngestionOptions options) : IEventHubPartitionReceivers
{
    public IEventHubReceiver Open(EventHubPartitionSettings settings, long? fromSequenceNumber, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var position = fromSequenceNumber is { } sequenceNumber
            ? EventPosition.FromSequenceNumber(sequenceNumber, isInclusive: true)
            : settings.ReceiverOptions.StartFromNow ? EventPosition.Latest : EventPosition.Earliest;
        LogOpening(logger, options.EventHub, settings.Partition, fromSequenceNumber, settings.ReceiverOptions.StartFromNow);

        var receiverOptions = new PartitionReceiverOptions { ConnectionOptions = settings.Hub.ConnectionOptions };
        if (settings.ReceiverOptions.PrefetchCount is { } prefetch)
        {
            receiverOptions.PrefetchCount = prefetch;
        }

        var consumerGroup = options.ConsumerGroup ?? EventHubConsumerClient.DefaultConsumerGroupName;
        var client = !string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new PartitionReceiver(consumerGroup, settings.Partition, position, options.ConnectionString, options.EventHub, receiverOptions)
            : new PartitionReceiver(consumerGroup, settings.Partition, position, options.FullyQualifiedNamespace, options.EventHub, new DefaultAzureCredential(), receiverOptions);
        return new Receiver(client);
    }

    private sealed class Receiver(PartitionReceiver client) : IEventHubReceiver
    {
        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime) =>
            ReceiveAsync(maxCount, waitTime, CancellationToken.None);

        public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime, CancellationToken cancellationToken) =>
            client.ReceiveBatchAsync(maxCount, waitTime, cancellationToken);

        [Obsolete("Use the overload which accepts a CancellationToken.")]
        public Task CloseAsync() => CloseAsync(CancellationToken.None);

        public Task CloseAsync(CancellationToken cancellationToken) => client.CloseAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event Hubs {EventHub}/{Partition}: reading from sequence number {SequenceNumber} (none known: from now = {StartFromNow})")]
    private static partial void LogOpening(ILogger logger, string? eventHub, string partition, long? sequenceNumber, bool startFromNow);
}
