using HealthcareOrleans.Contracts.Streaming;
using Orleans.Runtime;
using Orleans.Streaming.EventHubs;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.EventHubs.Providers;

/// <summary>
/// One read of one partition as its partition stream delivers it: a <see cref="BrokerRecordBatch"/> to a batch
/// consumer, or each <see cref="BrokerRecord"/> in sequence-number order to a record consumer.
/// </summary>
[GenerateSerializer, Immutable, Alias("hc.eventhubs.partition-read")]
public sealed class PartitionReadBatchContainer(StreamId streamId, EventHubSequenceTokenV2 sequenceToken, BrokerRecordBatch batch) : IBatchContainer
{
    [Id(0)]
    public StreamId StreamId { get; } = streamId;

    [Id(1)]
    public EventHubSequenceTokenV2 Token { get; } = sequenceToken;

    [Id(2)]
    public BrokerRecordBatch Batch { get; } = batch;

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        if (Batch is T whole)
        {
            return [Tuple.Create(whole, (StreamSequenceToken)Token)];
        }

        if (typeof(T) == typeof(BrokerRecord))
        {
            return Records<T>();
        }

        return [];
    }

    private IEnumerable<Tuple<T, StreamSequenceToken>> Records<T>()
    {
        var records = Batch.Records;
        for (var i = 0; i < records.Length; i++)
        {
            // Each record's position within the read, as Orleans' own tokens number the events of one batch.
            yield return Tuple.Create((T)(object)records[i], (StreamSequenceToken)new EventHubSequenceTokenV2(Token.EventHubOffset, Token.SequenceNumber, i));
        }
    }

    public bool ImportRequestContext() => false;
}
