using HealthcareOrleans.Contracts.Events;
using HealthcareOrleans.Contracts.Patients;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains.Engine;
using HealthcareOrleans.PatientFlow.Patients;
using Microsoft.Extensions.Logging;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace HealthcareOrleans.Grains.Patients;

/// <summary>
/// Messages produced without a key (a plain kcat or a legacy producer): one activation per partition reads the
/// patient id from the payload and hands the message to that patient, in partition order.
/// </summary>
[ImplicitStreamSubscription(PatientFlowStreams.UnkeyedNamespace)]
public sealed partial class UnkeyedMessageGrain(
    PatientFlowDecoder decoder,
    PipelineCounters counters,
    ILogger<UnkeyedMessageGrain> logger)
    : Grain, IGrainWithStringKey, IStreamSubscriptionObserver, IAsyncObserver<BrokerRecord>
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        await handleFactory.Create<BrokerRecord>().ResumeAsync(this);

    public async Task OnNextAsync(BrokerRecord item, StreamSequenceToken? token = null)
    {
        var decoded = decoder.Decode(item);
        if (!decoded.IsAccepted)
        {
            counters.Rejected(decoded.RejectionReason!);
            LogRejected(logger, decoded.RejectionReason!, item.Partition, item.Offset);
            return;
        }

        await GrainFactory.GetGrain<IPatientGrain>(PatientRoute.PatientIdOf(decoded)).ReceiveAsync(item);
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unkeyed message at partition {Partition} offset {Offset} quarantined: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason, int partition, long offset);
}
