using HealthcareOrleans.Contracts.Streaming;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>Stands in for the patient grain: records what its implicit subscription delivers.</summary>
[ImplicitStreamSubscription(PatientFlowStreams.PatientNamespace)]
public sealed class PatientRecorderGrain : RecorderGrain
{
    public PatientRecorderGrain() : base(PatientFlowStreams.PatientNamespace)
    {
    }
}

/// <summary>Receives the messages without a key, one grain per partition.</summary>
[ImplicitStreamSubscription(PatientFlowStreams.UnkeyedNamespace)]
public sealed class UnkeyedRecorderGrain : RecorderGrain
{
    public UnkeyedRecorderGrain() : base(PatientFlowStreams.UnkeyedNamespace)
    {
    }
}

public interface IRecorderGrain : IGrainWithStringKey
{
}

public abstract class RecorderGrain(string @namespace) : Grain, IRecorderGrain, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecord>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BrokerRecord>().ResumeAsync(this);

    public async Task OnNextAsync(BrokerRecord item, StreamSequenceToken? token = null)
    {
        if (DeliverySink.Behavior is { } behavior)
        {
            await behavior(item);
        }

        DeliverySink.Record(@namespace, this.GetPrimaryKeyString(), item);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

/// <summary>Consumes a stream per partition: records each delivery whole, as the batch it arrived in.</summary>
[ImplicitStreamSubscription(PartitionBatchRecorderGrain.Namespace)]
public sealed class PartitionBatchRecorderGrain : Grain, IRecorderGrain, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecordBatch>
{
    public const string Namespace = "test-partition";

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BrokerRecordBatch>().ResumeAsync(this);

    public Task OnNextAsync(BrokerRecordBatch item, StreamSequenceToken? token = null)
    {
        DeliverySink.RecordBatch(this.GetPrimaryKeyString(), item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
