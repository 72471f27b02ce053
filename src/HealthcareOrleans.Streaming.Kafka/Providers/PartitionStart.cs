using Confluent.Kafka;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>Where a receiver starts reading its partition, from its checkpoint, the record sink and the broker's watermarks.</summary>
internal static partial class PartitionStart
{
    /// <summary>
    /// The delivery checkpoint, but never after what the sink still needs (<paramref name="needed"/>): the sink sees
    /// every offset and stream consumers see each at least once. Null: start where the provider is configured to.
    /// </summary>
    public static long? Resume(long? delivered, long? needed, KafkaStartPosition startFrom) => (delivered, needed) switch
    {
        ({ } d, { } n) => Math.Min(d, n),
        // The sink holds nothing of this log yet: read it from the beginning into the sink, unless the provider was
        // told to start at the end, where the delivery checkpoint is the earliest position anyone needs.
        (_, null) => startFrom == KafkaStartPosition.Beginning ? null : delivered,
        // No delivery checkpoint (lost, or kept in memory): replay from the beginning for the consumers, or at
        // least from where the sink stopped.
        (null, { } n) => startFrom == KafkaStartPosition.Beginning ? null : n,
    };

    /// <summary>The offset to read from; <paramref name="trustedCheckpoint"/> says whether <paramref name="resumeAt"/> still names this log's messages.</summary>
    public static Offset Choose(long? resumeAt, WatermarkOffsets watermarks, KafkaStreamOptions options, int partition, ILogger logger, out bool trustedCheckpoint)
    {
        var configured = options.StartFrom == KafkaStartPosition.Beginning ? Offset.Beginning : Offset.End;
        trustedCheckpoint = false;
        if (resumeAt is not { } offset)
        {
            return configured;
        }

        if (offset > watermarks.High.Value)
        {
            // The broker has fewer messages than we already processed: it lost its log (the embedded broker restarted,
            // or the topic was re-created). The offsets now name different messages; resuming would skip them all.
            LogCheckpointBeyondEnd(logger, options.Topic, partition, offset, watermarks.High.Value, options.StartFrom);
            return configured;
        }

        trustedCheckpoint = true;
        if (offset < watermarks.Low.Value)
        {
            // Retention deleted messages nobody processed. Nothing can bring them back; say so loudly.
            LogCheckpointBeforeStart(logger, options.Topic, partition, offset, watermarks.Low.Value);
            return new Offset(watermarks.Low.Value);
        }

        return new Offset(offset);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka {Topic}/{Partition}: checkpoint {Checkpoint} is beyond the partition's end {High}; the broker lost messages (e.g. the embedded broker restarted). Restarting from {StartFrom}")]
    private static partial void LogCheckpointBeyondEnd(ILogger logger, string topic, int partition, long checkpoint, long high, KafkaStartPosition startFrom);

    [LoggerMessage(Level = LogLevel.Error, Message = "Kafka {Topic}/{Partition}: checkpoint {Checkpoint} is older than the oldest retained offset {Low}; messages in between were deleted by retention before they were processed")]
    private static partial void LogCheckpointBeforeStart(ILogger logger, string topic, int partition, long checkpoint, long low);
}
