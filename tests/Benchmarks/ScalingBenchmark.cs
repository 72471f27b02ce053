using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// One run of scaling with work: a fresh broker and silo (as <see cref="EndToEndBenchmark"/>) drain a workload of
/// many distinct patients, produced in chunks while the silo reads (<see cref="ChunkedBacklog"/>), since the broker
/// cannot hold it at once; then the same silo, now holding every one of those patients, gets one latency phase
/// (<see cref="LatencyPhaseRunner"/>) with new patients.
/// </summary>
internal static class ScalingBenchmark
{
    /// <summary>Below the saturation rate, so the phase measures what holding many patients costs and not a queue.</summary>
    public const double LatencyRate = 1_000;

    /// <summary>Two chunks are e2e's whole backlog, which the broker is known to keep.</summary>
    private const int Chunk = 100_000;

    /// <summary>Small enough that the smoke test's levels are produced in more than one go.</summary>
    private const int QuickChunk = 10_000;

    public static async Task<ScalingRunResult> RunAsync(BenchmarkOptions options, SimulatedEventSet events, SimulatedEventSet load, TimeSpan phase)
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        await using var backlog = new ChunkedBacklog(BrokerBacklog.Open(broker.BootstrapServers), events.Messages, options.Quick ? QuickChunk : Chunk);
        backlog.ProduceFirstChunks();
        await using var silo = await SiloProcess.StartAsync(options, broker.BootstrapServers);
        // The simulator's events without faults are all accepted by the Silver rules (as e2e's baseline shows).
        var throughput = await BacklogDrain.MeasureAsync(silo, events.Count, events.Count, backlog.OnStatus);
        if (!throughput.Valid)
        {
            return new ScalingRunResult(throughput, null, null);
        }

        var activations = await silo.ResidentActivationsAsync();
        await using var runner = await LatencyPhaseRunner.StartAsync(silo, broker.BootstrapServers, load);
        return new ScalingRunResult(throughput, activations, await runner.RunAsync(LatencyRate, phase));
    }
}
