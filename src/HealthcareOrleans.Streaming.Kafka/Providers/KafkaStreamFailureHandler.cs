using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Called by the pulling agent after it has retried a message for <c>MaxEventDeliveryTime</c>. It logs and lets the
/// agent move on: one message a consumer cannot process must not hold the partition's cache, and with it every later
/// checkpoint (dotnet/orleans#7807). The message is still in Kafka (and in Bronze) for investigation. Logs name the
/// stream namespace and offset, never the key: the key is a patient identifier.
/// </summary>
internal sealed partial class KafkaStreamFailureHandler(ILogger<KafkaStreamFailureHandler> logger) : IStreamFailureHandler
{
    // Implicit subscriptions cannot be faulted anyway; for explicit ones a fault would silently stop a patient's stream.
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogDeliveryFailure(streamProviderName, streamIdentity.GetNamespace() ?? string.Empty, sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        LogSubscriptionFailure(streamProviderName, streamIdentity.GetNamespace() ?? string.Empty, sequenceToken?.SequenceNumber ?? -1);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream provider {Provider}: a consumer in namespace {Namespace} kept failing on the message at offset {Offset}; skipped it so the partition keeps moving")]
    private partial void LogDeliveryFailure(string provider, string @namespace, long offset);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream provider {Provider}: subscription in namespace {Namespace} failed at offset {Offset}")]
    private partial void LogSubscriptionFailure(string provider, string @namespace, long offset);
}
