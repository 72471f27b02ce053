using System.Globalization;
using Azure.Messaging.EventHubs;
using HealthcareOrleans.Contracts.Streaming;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// Maps each Event Hubs partition to its patient-flow partition stream (<see cref="PatientFlowStreams.PartitionNamespace"/>,
/// key = the partition number) and each read to one cache entry and one batch container.
/// <para>Positions: a cache entry's sequence number is the last sequence number of its read, and the "offset" Orleans
/// checkpoints (<see cref="GetOffset"/>, the tokens' <c>EventHubOffset</c>) is the next sequence number to read — not
/// Event Hubs' byte offset. The checkpoints, Bronze's positions and the receiver's start are then all in one unit, and
/// the receiver starts there inclusively (<see cref="AmqpPartitionReceivers"/>).</para>
/// </summary>
public sealed class PartitionStreamDataAdapter(string eventHub) : IEventHubDataAdapter
{
    public StreamPosition GetStreamPosition(string partition, EventData queueMessage)
    {
        var read = AsRead(queueMessage);
        return new StreamPosition(StreamFor(read.Partition), Token(read.LastSequenceNumber));
    }

    public CachedMessage FromQueueMessage(StreamPosition position, EventData queueMessage, DateTime dequeueTime, Func<int, ArraySegment<byte>> getSegment)
    {
        ArgumentNullException.ThrowIfNull(getSegment);
        var read = AsRead(queueMessage);
        var segment = getSegment(PartitionReadEncoding.EncodedSize(read.Records));
        PartitionReadEncoding.Write(read.Records, segment.AsSpan());
        return new CachedMessage
        {
            StreamId = position.StreamId,
            SequenceNumber = read.LastSequenceNumber,
            EventIndex = 0,
            EnqueueTimeUtc = read.Records[^1].AppendedAtUtc,
            DequeueTimeUtc = dequeueTime,
            Segment = segment,
        };
    }

    public IBatchContainer GetBatchContainer(ref CachedMessage cachedMessage)
    {
        var partition = int.Parse(cachedMessage.StreamId.GetKeyAsString(), NumberStyles.None, CultureInfo.InvariantCulture);
        var records = PartitionReadEncoding.Read(cachedMessage.Segment.AsSpan(), eventHub, partition);
        return new PartitionReadBatchContainer(cachedMessage.StreamId, Token(cachedMessage.SequenceNumber), new BrokerRecordBatch(records));
    }

    public StreamSequenceToken GetSequenceToken(ref CachedMessage cachedMessage) => Token(cachedMessage.SequenceNumber);

    public string GetOffset(CachedMessage cachedMessage) => NextSequenceNumber(cachedMessage.SequenceNumber);

    public StreamId GetStreamIdentity(EventData queueMessage) => StreamFor(AsRead(queueMessage).Partition);

    public string GetPartitionKey(StreamId streamId) => streamId.GetKeyAsString();

    /// <summary>Events reach the hub from its producers (simulator, feeds, any Event Hubs client), never through Orleans.</summary>
    public EventData ToQueueMessage<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext) =>
        throw new NotSupportedException("The patient-flow Event Hubs streams are read-only: produce to the event hub with an Event Hubs (or Kafka) client.");

    public static StreamId StreamFor(int partition) =>
        StreamId.Create(PatientFlowStreams.PartitionNamespace, partition.ToString(CultureInfo.InvariantCulture));

    private static EventHubSequenceTokenV2 Token(long lastSequenceNumber) =>
        new(NextSequenceNumber(lastSequenceNumber), lastSequenceNumber, 0);

    private static string NextSequenceNumber(long lastSequenceNumber) =>
        (lastSequenceNumber + 1).ToString(CultureInfo.InvariantCulture);

    private static PartitionRead AsRead(EventData queueMessage) =>
        queueMessage as PartitionRead
        ?? throw new InvalidOperationException("The patient-flow Event Hubs data adapter only reads what its partition receivers hand over (PartitionRead); check that the provider was added with AddEventHubsPatientFlowStreams.");
}
