using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HealthcareOrleans.Streaming.Kafka.Diagnostics;

/// <summary>
/// OpenTelemetry-friendly instruments of meter <c>HealthcareOrleans.Streaming.Kafka</c>: a counter of messages
/// handed to Orleans and observable gauges read from the partition monitor, so the hot path pays one counter add
/// per read batch, not per message.
/// </summary>
public sealed class KafkaStreamInstruments
{
    public const string MeterName = "HealthcareOrleans.Streaming.Kafka";

    private readonly Counter<long> _messagesReceived;

    public KafkaStreamInstruments(IMeterFactory meterFactory, KafkaPartitionMonitor monitor)
    {
        var meter = meterFactory.Create(MeterName);
        _messagesReceived = meter.CreateCounter<long>(
            "healthcareorleans.kafka.messages_received", "{message}", "Messages read from Kafka and handed to Orleans.");
        meter.CreateObservableGauge(
            "healthcareorleans.kafka.consumer_lag", () => Observe(monitor, static t => t.Lag), "{message}",
            "Messages between the partition's high watermark and the receiver's next offset.");
        meter.CreateObservableGauge(
            "healthcareorleans.kafka.cache_size", () => Observe(monitor, static t => t.CacheSize), "{message}",
            "Messages held in Orleans' queue cache for the partition.");
    }

    internal void Received(PartitionTracker tracker, int count)
    {
        if (_messagesReceived.Enabled)
        {
            _messagesReceived.Add(count, Tags(tracker));
        }
    }

    private static IEnumerable<Measurement<long>> Observe(KafkaPartitionMonitor monitor, Func<PartitionTracker, long> value)
    {
        foreach (var tracker in monitor.ActiveTrackers)
        {
            yield return new Measurement<long>(value(tracker), Tags(tracker));
        }
    }

    private static TagList Tags(PartitionTracker tracker) => new()
    {
        { "messaging.system", "kafka" },
        { "orleans.stream.provider", tracker.ProviderName },
        { "messaging.destination.name", tracker.Topic },
        { "messaging.destination.partition.id", tracker.Partition },
    };
}
