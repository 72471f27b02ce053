using System.Diagnostics;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <param name="AchievedRate">Load messages produced per second of the phase.</param>
/// <param name="Latencies">Probe latencies in ms, sorted; ∞ for a probe never seen within a minute.</param>
/// <param name="LagAfter">Messages not yet read when the phase ended (its last probe seen, which may be after the load stopped).</param>
/// <param name="Engine">The engine's own histogram over every event applied during the phase.</param>
internal sealed record LatencyPhase(double TargetRate, double AchievedRate, List<double> Latencies, LatencyHistogram Engine, double SiloCpuCores, double HarnessCpuCores, long LagAfter, long MessagesSkipped)
{
    public double Percentile(double q) => Latencies[(int)Math.Min(Latencies.Count - 1, Math.Ceiling(q * Latencies.Count) - 1)];
}

/// <summary>
/// Latency under load: one silo process (as in <see cref="EndToEndBenchmark"/>, but starting from an empty topic)
/// receives simulator events at each fixed rate for a while, with <see cref="LatencyProbe"/>s in between. Between
/// rates the engine is given time to catch up, so one overloaded phase does not spill into the next.
/// </summary>
internal static class LatencyBenchmark
{
    private const int LoadSeed = 2;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    public static async Task<List<LatencyPhase>> RunAsync(BenchmarkOptions options, IReadOnlyList<double> rates)
    {
        var duration = TimeSpan.FromSeconds(options.SecondsPerRate);
        var pool = await SimulatedEventSet.GenerateAsync((int)rates.Sum(r => Math.Ceiling(r * duration.TotalSeconds)), LoadSeed);
        await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        await using var silo = await SiloProcess.StartAsync(options, broker.BootstrapServers);
        await using var client = await GatewayClient.ConnectAsync(silo.GatewayPort);
        using var probe = LatencyProbe.Create(broker.BootstrapServers, client.Grains);

        // Warm the path (first activations, JIT in the silo and here) before any figure is taken.
        await probe.RunAsync(ProbeInterval, TimeSpan.FromSeconds(2));

        var phases = new List<LatencyPhase>();
        var next = 0;
        foreach (var rate in rates)
        {
            var (siloBefore, selfBefore) = (silo.Resources(), ProcessResources.Self());
            var histogramBefore = await silo.LatencyHistogramAsync();
            var watch = Stopwatch.StartNew();
            var load = PacedProducer.ProduceAsync(broker.BootstrapServers, pool.Messages, next, rate, duration);
            var latencies = await probe.RunAsync(ProbeInterval, duration);
            var produced = await load;
            var elapsed = watch.Elapsed;
            var (siloAfter, selfAfter) = (silo.Resources(), ProcessResources.Self());
            var engine = (await silo.LatencyHistogramAsync()).Minus(histogramBefore);
            next += (int)produced;
            var status = await silo.StatusAsync();
            latencies.Sort();
            phases.Add(new LatencyPhase(
                rate, produced / duration.TotalSeconds, latencies, engine,
                (siloAfter.CpuTime - siloBefore.CpuTime) / elapsed, (selfAfter.CpuTime - selfBefore.CpuTime) / elapsed,
                status.Lag, status.MessagesSkipped));
            Console.Error.WriteLine($"latency at {rate:N0}/s: {Describe(phases[^1])}");
            await CatchUpAsync(silo);
        }

        return phases;
    }

    public static string Describe(LatencyPhase p) =>
        $"produced {p.AchievedRate:N0}/s, {p.Latencies.Count} probes, p50 {p.Percentile(0.5):N1} ms, p99 {p.Percentile(0.99):N1} ms, p99.9 {p.Percentile(0.999):N1} ms, max {p.Latencies[^1]:N1} ms; engine histogram: {p.Engine.Count:N0} events, p50 ≤ {p.Engine.Percentile(0.5):N0} ms, p99 ≤ {p.Engine.Percentile(0.99):N0} ms, {p.Engine.ShareWithin(20):P1} within 20 ms; " +
        $"silo CPU {p.SiloCpuCores:N2} cores, harness CPU {p.HarnessCpuCores:N2} cores, lag at end {p.LagAfter:N0}, skipped {p.MessagesSkipped:N0}";

    private static async Task CatchUpAsync(SiloProcess silo)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < CatchUpTimeout)
        {
            // Reports come every 2 s: wait for one that was taken after the load stopped.
            await Task.Delay(TimeSpan.FromSeconds(2.5));
            if ((await silo.StatusAsync()).Lag == 0)
            {
                return;
            }
        }

        Console.Error.WriteLine($"the engine did not catch up within {CatchUpTimeout.TotalSeconds:0} s; the next phase starts with a backlog");
    }
}
