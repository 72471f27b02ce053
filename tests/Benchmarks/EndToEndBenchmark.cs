using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Maximum sustained throughput of the whole pipeline as a user runs it: a fresh embedded broker in this process,
/// the backlog pre-produced into it, then the real silo in its own process (grains, Bronze and Silver lake writes,
/// Gold and the warehouse as its configuration has them) reading it until <c>/api/status</c> shows every event applied
/// and no lag.
/// </summary>
internal static class EndToEndBenchmark
{
    public static async Task<ThroughputResult> RunAsync(BenchmarkOptions options, SimulatedEventSet events, long expectedApplied)
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        using (var backlog = BrokerBacklog.Open(broker.BootstrapServers))
        {
            backlog.Produce(events.Messages, 0, events.Count);
        }

        await using var silo = await SiloProcess.StartAsync(options, broker.BootstrapServers);
        return await BacklogDrain.MeasureAsync(silo, events.Count, expectedApplied);
    }
}
