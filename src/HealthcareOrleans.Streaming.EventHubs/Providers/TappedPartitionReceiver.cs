using Azure.Messaging.EventHubs;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Orleans.Streaming.EventHubs;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Sits between Orleans' receiver and the hub: hands every event to Bronze as it is read, in sequence-number order,
/// and gives the cache one <see cref="PartitionRead"/> per bounded slice of the read.
/// </summary>
internal sealed class TappedPartitionReceiver(
    IEventHubReceiver hub,
    ReceivedPartition partition,
    IReceivedRecordSink? sink) : IEventHubReceiver
{
    // Orleans' Event Hubs cache copies each entry into one segment of a pooled 1 MiB block and fails an entry that
    // does not fit, so a read is split into slices well below that.
    internal const int MaxSliceBytes = 256 * 1024;

    // Above this the stream carries the record without its bytes (it decodes as oversize, as Bronze's own limit does);
    // Bronze was still handed the whole event.
    internal const int MaxStreamPayloadBytes = 192 * 1024;

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime) => ReceiveAsync(maxCount, waitTime, CancellationToken.None);

    public async Task<IEnumerable<EventData>> ReceiveAsync(int maxCount, TimeSpan waitTime, CancellationToken cancellationToken)
    {
        var events = await hub.ReceiveAsync(maxCount, waitTime, cancellationToken).ConfigureAwait(false);
        if (events is null)
        {
            return [];
        }

        List<EventData>? slices = null;
        List<BrokerRecord> slice = [];
        var sliceBytes = 0;
        foreach (var eventData in events)
        {
            var record = ToRecord(eventData);
            sink?.Received(partition, record);

            var streamed = record.Payload.Length > MaxStreamPayloadBytes
                ? record with { Payload = [], DroppedPayloadBytes = record.Payload.Length }
                : record;
            var size = PartitionReadEncoding.EncodedSize(streamed);
            if (slice.Count > 0 && sliceBytes + size > MaxSliceBytes)
            {
                (slices ??= []).Add(new PartitionRead(partition.Partition, [.. slice]));
                slice.Clear();
                sliceBytes = 0;
            }

            slice.Add(streamed);
            sliceBytes += size;
        }

        if (slice.Count > 0)
        {
            (slices ??= []).Add(new PartitionRead(partition.Partition, [.. slice]));
        }

        return slices ?? [];
    }

    /// <summary>Bronze's view of an event: the hub as topic, the sequence number as offset (it is per-partition and dense; Event Hubs' offset is an opaque position).</summary>
    internal BrokerRecord ToRecord(EventData eventData) => new(
        partition.Topic,
        partition.Partition,
        eventData.SequenceNumber,
        eventData.EnqueuedTime.UtcDateTime,
        eventData.PartitionKey,
        eventData.EventBody.ToArray());

    [Obsolete("Use the overload which accepts a CancellationToken.")]
    public Task CloseAsync() => CloseAsync(CancellationToken.None);

    public Task CloseAsync(CancellationToken cancellationToken) => hub.CloseAsync(cancellationToken);
}
