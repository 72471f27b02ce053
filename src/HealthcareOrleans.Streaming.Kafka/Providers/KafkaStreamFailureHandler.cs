using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Called by the pulling agent after it has retried a message for <c>MaxEventDeliveryTime</c>. The cache cursor
/// (<see cref="DeliveryTrackingCursor"/>) then hands the same message out again until it has failed for
/// <c>MaxDeliveryRetryTime</c>, and only then lets the stream skip it. Logs name the stream namespace and offset,
/// never the key: the key may identify a person (the patient-flow topic is keyed by patient id).
/// </summary>
internal sealed partial class KafkaStreamFailureHandler(ILogger<KafkaStreamFailureHandler> logger) : IStreamFailureHandler
{
    // Implicit subscriptions cannot be faulted anyway; for explicit ones a fault would silently stop the stream.
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogDeliveryFailure(streamProviderName, sequenceToken?.SequenceNumber ?? -1, streamIdentity.GetNamespace() ?? string.Empty);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailure(streamProviderName, streamIdentity.GetNamespace() ?? string.Empty, sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream provider {Provider}: delivering the message at offset {Offset} to a consumer in namespace {Namespace} failed for the whole delivery time; it is handed out again until it has failed for MaxDeliveryRetryTime")]
    private partial void LogDeliveryFailure(string provider, long offset, string @namespace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream provider {Provider}: subscription in namespace {Namespace} failed at offset {Offset}")]
    private partial void LogSubscriptionFailure(string provider, string @namespace, long offset);
}
