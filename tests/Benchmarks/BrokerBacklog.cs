using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Fills the topic before the silo starts, so the throughput run measures the engine and not the generator or the
/// producer. librdkafka's mock broker keeps at most about 5 MiB or 100,000 message sets per partition and deletes
/// older ones, so the backlog is sent gzip-compressed in large batches; a run that still lost messages shows them
/// as <c>messages_skipped</c> and is reported invalid.
/// </summary>
internal static class BrokerBacklog
{
    public static void Produce(string bootstrapServers, IReadOnlyList<WorkloadMessage> messages)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            CompressionType = CompressionType.Gzip,
            LingerMs = 100,
            BatchSize = 1_000_000,
            BatchNumMessages = 100_000,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
        };
        Error? failure = null;
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        foreach (var message in messages)
        {
            producer.Produce(PatientFlowStreams.DefaultTopic, new Message<string, byte[]> { Key = message.Key, Value = message.Value }, report =>
            {
                if (report.Error.IsError)
                {
                    failure ??= report.Error;
                }
            });
        }

        if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || failure is not null)
        {
            throw new InvalidOperationException($"The backlog was not fully accepted by the broker: {failure?.Reason ?? "flush timed out"}.");
        }
    }
}
