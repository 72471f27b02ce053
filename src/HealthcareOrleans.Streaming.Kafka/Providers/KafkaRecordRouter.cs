using System.Globalization;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// The data adapter: turns a consumed Kafka message into a batch on the right stream. Keyed messages go to the
/// patient's stream; unkeyed ones to one stream per partition so that nothing is dropped and the grain that decodes
/// them can still route by payload.
/// </summary>
internal sealed class KafkaRecordRouter
{
    private readonly StreamId _unkeyedStream;

    public KafkaRecordRouter(int partition)
    {
        _unkeyedStream = StreamId.Create(PatientFlowStreams.UnkeyedNamespace, partition.ToString(CultureInfo.InvariantCulture));
    }

    public static StreamId StreamFor(string? key, int partition) =>
        string.IsNullOrEmpty(key)
            ? StreamId.Create(PatientFlowStreams.UnkeyedNamespace, partition.ToString(CultureInfo.InvariantCulture))
            : StreamId.Create(PatientFlowStreams.PatientNamespace, key);

    public KafkaBatchContainer ToBatch(ConsumeResult<string?, byte[]?> result)
    {
        var message = result.Message;
        var key = message.Key;
        var streamId = string.IsNullOrEmpty(key) ? _unkeyedStream : StreamId.Create(PatientFlowStreams.PatientNamespace, key);

        // The value array is the one Confluent allocated for this message; it is handed on, never copied. A tombstone
        // (null value) becomes an empty payload so consumers need no null check.
        var record = new BrokerRecord(
            result.Topic,
            result.Partition.Value,
            result.Offset.Value,
            message.Timestamp.UtcDateTime,
            string.IsNullOrEmpty(key) ? null : key,
            message.Value ?? []);
        return new KafkaBatchContainer(streamId, record);
    }
}
