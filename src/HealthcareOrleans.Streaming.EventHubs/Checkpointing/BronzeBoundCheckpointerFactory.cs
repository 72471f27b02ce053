using System.Collections.Concurrent;
using HealthcareOrleans.Streaming.EventHubs.Options;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Checkpointing;

/// <summary>
/// The provider's checkpointer factory for the patient-flow hub: Orleans' Azure Table checkpointer
/// (<c>EventHubCheckpointerFactory</c>) per partition, wrapped in <see cref="BronzeBoundCheckpointer"/>.
/// </summary>
internal sealed class BronzeBoundCheckpointerFactory(
    IStreamQueueCheckpointerFactory table,
    IReceivedRecordSink? bronze,
    EventHubsIngestionOptions options,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : IStreamQueueCheckpointerFactory
{
    // Orleans' receiver asks for a new checkpointer each time it (re)initialises a partition; the previous one's timer stops then.
    private readonly ConcurrentDictionary<string, BronzeBoundCheckpointer> _current = new(StringComparer.Ordinal);

    public Task<IStreamQueueCheckpointer<string>> Create(string partition) => Create(partition, CancellationToken.None);

    public async Task<IStreamQueueCheckpointer<string>> Create(string partition, CancellationToken cancellationToken)
    {
        var received = new ReceivedPartition(options.ResolveSourceId(), options.EventHub!, PartitionNumbers.Parse(partition));
        var inner = await table.Create(partition, cancellationToken).ConfigureAwait(false);
        var checkpointer = new BronzeBoundCheckpointer(
            inner, bronze, received, options.StartFromNow, options.CheckpointPersistInterval, clock, loggerFactory.CreateLogger<BronzeBoundCheckpointer>());
        if (_current.TryGetValue(partition, out var previous))
        {
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        _current[partition] = checkpointer;
        return checkpointer;
    }
}
