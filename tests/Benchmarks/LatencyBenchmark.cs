using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Latency under load: one silo process (as in <see cref="EndToEndBenchmark"/>, but starting from an empty topic)
/// receives simulator events at each fixed rate for a while, with <see cref="LatencyProbe"/>s in between. Between
/// rates the engine is given time to catch up, so one overloaded phase does not spill into the next. A warm-up phase at
/// 2,000 events/s comes first and is not reported.
/// </summary>
internal static class LatencyBenchmark
{
    private const double WarmUpRate = 2_000;
    private static readonly TimeSpan WarmUpDuration = TimeSpan.FromSeconds(20);

    public static async Task<List<LatencyPhase>> RunAsync(BenchmarkOptions options, IReadOnlyList<double> rates)
    {
        var duration = TimeSpan.FromSeconds(options.SecondsPerRate);
        var warmUp = options.Quick ? TimeSpan.FromSeconds(2) : WarmUpDuration;
        var load = await LatencyPhaseRunner.GenerateLoadAsync([.. rates.Select(r => (r, duration)), (WarmUpRate, warmUp)]);
        await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        await using var silo = await SiloProcess.StartAsync(options, broker.BootstrapServers);
        await using var runner = await LatencyPhaseRunner.StartAsync(silo, broker.BootstrapServers, load);

        // A silo runs for days: its latency is that of code the JIT has optimised. The warm-up phase is load like the
        // others, so the methods of the hot path reach their final tier before the first measured phase; it is not reported.
        var warm = await runner.RunAsync(WarmUpRate, warmUp);
        Console.Error.WriteLine($"latency warm-up at {WarmUpRate:N0}/s for {warmUp.TotalSeconds:N0} s (not reported): {warm}");
        await runner.CatchUpAsync();
        var phases = new List<LatencyPhase>();
        foreach (var rate in rates)
        {
            if (phases.Count > 0)
            {
                await runner.CatchUpAsync();
            }

            phases.Add(await runner.RunAsync(rate, duration));
            Console.Error.WriteLine($"latency at {rate:N0}/s: {phases[^1]}");
        }

        phases = await runner.WithBronzeFreshnessAsync(phases);
        foreach (var phase in phases.Where(p => p.BronzeWaits.Count > 0))
        {
            Console.Error.WriteLine($"latency at {phase.TargetRate:N0}/s, Bronze: p50 {Percentiles.Of(phase.BronzeWaits, 0.5):N0} ms, p99 {Percentiles.Of(phase.BronzeWaits, 0.99):N0} ms over {phase.BronzeWaits.Count:N0} rows");
        }

        return phases;
    }
}
