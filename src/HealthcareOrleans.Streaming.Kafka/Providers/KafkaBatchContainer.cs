using HealthcareOrleans.Contracts.Streaming;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// One Kafka message as one Orleans batch: the undecoded <see cref="BrokerRecord"/> and a sequence token ordered by
/// the partition offset, so a consumer can tell replays apart and Orleans' cache keeps partition order.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.kafka-batch")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    public KafkaBatchContainer(StreamId streamId, BrokerRecord record)
    {
        StreamId = streamId;
        Record = record;
        Token = new EventSequenceTokenV2(record.Offset);
    }

    [Id(0)]
    public StreamId StreamId { get; }

    [Id(1)]
    public BrokerRecord Record { get; }

    [Id(2)]
    public EventSequenceTokenV2 Token { get; }

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        // A subscriber of another event type (e.g. object) still sees the record; an unrelated type sees nothing.
        if (Record is T typed)
        {
            return [Tuple.Create<T, StreamSequenceToken>(typed, Token)];
        }

        return [];
    }

    // Kafka messages carry no Orleans request context.
    public bool ImportRequestContext() => false;

    public override string ToString() => $"KafkaBatchContainer {{ {Record.Topic}/{Record.Partition}@{Record.Offset} }}";
}
