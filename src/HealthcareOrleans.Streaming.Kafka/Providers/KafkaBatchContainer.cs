using HealthcareOrleans.Contracts.Streaming;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Consecutive messages of one partition that go to one stream, taken in one read, as one Orleans batch: the undecoded
/// <see cref="BrokerRecord"/>s and a sequence token ordered by the first offset, so a consumer can tell replays apart
/// and Orleans' cache keeps partition order. A consumer of <see cref="BrokerRecordBatch"/> gets them in one call; a
/// consumer of <see cref="BrokerRecord"/> one call per record.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.kafka-batch")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    public KafkaBatchContainer(StreamId streamId, BrokerRecordBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("A batch container carries at least one record.", nameof(batch));
        }

        StreamId = streamId;
        Batch = batch;
        Token = new EventSequenceTokenV2(batch.Records[0].Offset);
    }

    [Id(0)]
    public StreamId StreamId { get; }

    [Id(1)]
    public BrokerRecordBatch Batch { get; }

    [Id(2)]
    public EventSequenceTokenV2 Token { get; }

    public StreamSequenceToken SequenceToken => Token;

    public long FirstOffset => Batch.Records[0].Offset;

    public long LastOffset => Batch.Records[^1].Offset;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (typeof(T) == typeof(BrokerRecordBatch))
        {
            return [Tuple.Create((T)(object)Batch, (StreamSequenceToken)Token)];
        }

        // A subscriber of another event type (e.g. object) still sees the records; an unrelated type sees nothing.
        if (Batch.Records[0] is not T)
        {
            return [];
        }

        var records = Batch.Records;
        var events = new Tuple<T, StreamSequenceToken>[records.Length];
        for (var i = 0; i < records.Length; i++)
        {
            events[i] = Tuple.Create((T)(object)records[i], (StreamSequenceToken)Token.CreateSequenceTokenForEvent(i));
        }

        return events;
    }

    // Kafka messages carry no Orleans request context.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"KafkaBatchContainer {{ {Batch.Records[0].Topic}/{Batch.Records[0].Partition}@{FirstOffset}..{LastOffset} }}";
}
