using System.Diagnostics;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Produces workload messages at a fixed rate on a thread of its own: every millisecond it sends what the schedule
/// (rate × elapsed time) says is due, so a slow moment is caught up rather than lost. Sent gzip-compressed in small
/// batches (5 ms linger), which keeps the mock broker's 5 MiB per-partition log a few seconds deep.
/// </summary>
internal static class PacedProducer
{
    /// <returns>Messages produced (all acknowledged).</returns>
    public static Task<long> ProduceAsync(string bootstrapServers, IReadOnlyList<WorkloadMessage> pool, int from, double ratePerSecond, TimeSpan duration) =>
        Task.Factory.StartNew(() => Produce(bootstrapServers, pool, from, ratePerSecond, duration), TaskCreationOptions.LongRunning);

    private static long Produce(string bootstrapServers, IReadOnlyList<WorkloadMessage> pool, int from, double ratePerSecond, TimeSpan duration)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            CompressionType = CompressionType.Gzip,
            LingerMs = 5,
            QueueBufferingMaxMessages = 1_000_000,
        };
        Error? failure = null;
        using var producer = new ProducerBuilder<string, byte[]>(config).Build();
        var total = (long)Math.Min(pool.Count - from, ratePerSecond * duration.TotalSeconds);
        var sent = 0L;
        var watch = Stopwatch.StartNew();
        while (sent < total)
        {
            var due = Math.Min(total, (long)(watch.Elapsed.TotalSeconds * ratePerSecond));
            for (; sent < due; sent++)
            {
                var message = pool[from + (int)sent];
                producer.Produce(PatientFlowStreams.DefaultTopic, new Message<string, byte[]> { Key = message.Key, Value = message.Value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        failure ??= report.Error;
                    }
                });
            }

            Thread.Sleep(1);
        }

        if (producer.Flush(TimeSpan.FromSeconds(30)) > 0 || failure is not null)
        {
            throw new InvalidOperationException($"The paced load was not fully accepted by the broker: {failure?.Reason ?? "flush timed out"}.");
        }

        return sent;
    }
}
