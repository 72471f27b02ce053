using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Fills the topic ahead of the silo, so the throughput runs measure the engine and not the generator or the
/// producer. librdkafka's mock broker keeps at most about 5 MiB or 100,000 message sets per partition and deletes
/// older ones, so messages are sent gzip-compressed in large batches, and a backlog never holds more unread messages
/// than the 200,000 that fit (see <see cref="ChunkedBacklog"/> for larger workloads); a run that still lost messages
/// shows them as <c>messages_skipped</c> and is reported invalid.
/// </summary>
internal sealed class BrokerBacklog(IProducer<string, byte[]> producer) : IDisposable
{
    public static BrokerBacklog Open(string bootstrapServers) =>
        new(new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            CompressionType = CompressionType.Gzip,
            LingerMs = 100,
            BatchSize = 1_000_000,
            BatchNumMessages = 100_000,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
        }).Build());

    /// <summary>Produces <paramref name="count"/> messages from <paramref name="from"/> and returns once the broker acknowledged all of them.</summary>
    public void Produce(IReadOnlyList<WorkloadMessage> messages, int from, int count)
    {
        Error? failure = null;
        for (var i = from; i < from + count; i++)
        {
            var message = messages[i];
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

    public void Dispose() => producer.Dispose();
}
