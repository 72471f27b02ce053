using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Streaming.Kafka.DataAdapters;

public static class BrokerRecords
{
    /// <summary>The consumed message as the stream carries it, undecoded.</summary>
    public static BrokerRecord From(ConsumeResult<string?, byte[]?> consumed)
    {
        ArgumentNullException.ThrowIfNull(consumed);
        var message = consumed.Message;
        // The value array is the one Confluent allocated for this message; it is handed on, never copied. A tombstone
        // (null value) becomes an empty payload so consumers need no null check.
        return new BrokerRecord(
            consumed.Topic,
            consumed.Partition.Value,
            consumed.Offset.Value,
            message.Timestamp.UtcDateTime,
            string.IsNullOrEmpty(message.Key) ? null : message.Key,
            message.Value ?? []);
    }
}
