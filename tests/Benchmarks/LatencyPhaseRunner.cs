using System.Diagnostics;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Latency phases against one running silo: a fixed rate of simulator load (<see cref="PacedProducer"/>) with a
/// <see cref="LatencyProbe"/> every 50 ms through the Orleans gateway, and the engine's own histogram over the same
/// time. The load is handed out in order, so no phase sends a patient an earlier phase sent. Shared by the latency
/// mode (several rates on a fresh silo) and the scaling mode (one rate on a silo that already holds many patients).
/// </summary>
internal sealed class LatencyPhaseRunner(SiloProcess silo, string bootstrapServers, GatewayClient client, LatencyProbe probe, SimulatedEventSet load) : IAsyncDisposable
{
    /// <summary>Not the throughput runs' seed 1, so the load's patients are new to a silo that drained those.</summary>
    private const int LoadSeed = 2;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan BronzeSettle = TimeSpan.FromSeconds(11);

    private int _next;

    /// <summary>Enough seed-2 load for each phase of <paramref name="phases"/> (generated before anything is timed).</summary>
    public static Task<SimulatedEventSet> GenerateLoadAsync(IEnumerable<(double Rate, TimeSpan Duration)> phases) =>
        SimulatedEventSet.GenerateAsync((int)phases.Sum(p => Math.Ceiling(p.Rate * p.Duration.TotalSeconds)), LoadSeed);

    /// <summary>Connects to the silo's gateway and warms the probe path (first activations, JIT in the silo and here) before any figure is taken.</summary>
    public static async Task<LatencyPhaseRunner> StartAsync(SiloProcess silo, string bootstrapServers, SimulatedEventSet load)
    {
        var client = await GatewayClient.ConnectAsync(silo.GatewayPort);
        var probe = LatencyProbe.Create(bootstrapServers, client.Grains);
        var runner = new LatencyPhaseRunner(silo, bootstrapServers, client, probe, load);
        try
        {
            await probe.RunAsync(ProbeInterval, TimeSpan.FromSeconds(2));
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }

        return runner;
    }

    public async Task<LatencyPhase> RunAsync(double rate, TimeSpan duration)
    {
        var (siloBefore, selfBefore) = (silo.Resources(), ProcessResources.Self());
        var histogramBefore = await silo.LatencyHistogramAsync();
        var stagesBefore = await silo.StageHistogramsAsync();
        var startedAt = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        var producing = PacedProducer.ProduceAsync(bootstrapServers, load.Messages, _next, rate, duration);
        var latencies = await probe.RunAsync(ProbeInterval, duration);
        var produced = await producing;
        var elapsed = watch.Elapsed;
        var endedAt = DateTimeOffset.UtcNow;
        var (siloAfter, selfAfter) = (silo.Resources(), ProcessResources.Self());
        var engine = (await silo.LatencyHistogramAsync()).Minus(histogramBefore);
        var stages = (await silo.StageHistogramsAsync()).Select((h, i) => h.Minus(stagesBefore[i])).ToArray();
        _next += (int)produced;
        var status = await silo.StatusAsync();
        latencies.Sort();
        return new LatencyPhase(
            rate, produced / duration.TotalSeconds, latencies, engine,
            (siloAfter.CpuTime - siloBefore.CpuTime) / elapsed, (selfAfter.CpuTime - selfBefore.CpuTime) / elapsed,
            status.Lag, status.MessagesSkipped, startedAt, endedAt)
        {
            Stages = stages,
        };
    }

    /// <summary>
    /// The phases with the Bronze freshness of their rows, read from the silo's lake once the engine has caught up and
    /// Bronze has flushed twice more (its interval is 5 s), so every row of the phases is committed.
    /// </summary>
    public async Task<List<LatencyPhase>> WithBronzeFreshnessAsync(List<LatencyPhase> phases)
    {
        await CatchUpAsync();
        await Task.Delay(BronzeSettle);
        var rows = await BronzeFreshness.ReadAsync(Path.Combine(silo.DataDirectory, "lake"));
        return [.. phases.Select(p => p.WithBronze(rows))];
    }

    /// <summary>Waits for lag 0, so one overloaded phase does not spill into the next.</summary>
    public async Task CatchUpAsync()
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

    public async ValueTask DisposeAsync()
    {
        probe.Dispose();
        await client.DisposeAsync();
    }
}
