using System.Collections.Concurrent;
using HealthcareOrleans.Contracts.Streaming;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

public interface IPartitionRecorderGrain : IGrainWithStringKey
{
}

/// <summary>Stands in for the partition consumer: records every batch its implicit subscription delivers, with the stream it came on.</summary>
[ImplicitStreamSubscription(PatientFlowStreams.PartitionNamespace)]
public sealed class PartitionRecorderGrain : Grain, IPartitionRecorderGrain, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecordBatch>
{
    public static ConcurrentQueue<(StreamId Stream, BrokerRecordBatch Batch)> Delivered { get; } = new();

    private StreamId _stream;

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        _stream = handleFactory.StreamId;
        await handleFactory.Create<BrokerRecordBatch>().ResumeAsync(this);
    }

    public Task OnNextAsync(BrokerRecordBatch item, StreamSequenceToken? token = null)
    {
        Delivered.Enqueue((_stream, item));
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    /// <summary>(partition, sequence number) of every delivered record, duplicates included.</summary>
    public static List<(int Partition, long SequenceNumber)> DeliveredRecords() =>
        [.. Delivered.SelectMany(d => d.Batch.Records.Select(r => (r.Partition, r.Offset)))];
}
