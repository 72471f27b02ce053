using System.Diagnostics;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <param name="SustainedEventsPerSecond">Slope of events_applied between the silo reports at about 10 % and 90 % of the backlog.</param>
/// <param name="Drain">From the silo answering ready to the first status showing every event applied and lag 0.</param>
/// <param name="SiloCpuCores">Silo CPU time over <see cref="Drain"/> divided by it (2.0 = both cores).</param>
/// <param name="HarnessCpuCores">The same for the benchmark process, which hosts the broker the silo reads from.</param>
internal sealed record ThroughputResult(
    double SustainedEventsPerSecond, TimeSpan Drain, double SiloCpuCores, double HarnessCpuCores, long SiloPeakResidentBytes,
    long EventsApplied, long MessagesRejected, long MessagesSkipped, bool Completed)
{
    /// <summary>A figure counts only if every event was applied and the broker deleted nothing before it was read.</summary>
    public bool Valid => Completed && MessagesSkipped == 0;
}

/// <summary>
/// Maximum sustained throughput of the whole pipeline as a user runs it: a fresh embedded broker in this process,
/// the backlog pre-produced into it, then the real silo in its own process (grains, Bronze and Silver lake writes,
/// Gold and the warehouse as its configuration has them) reading it until <c>/api/status</c> shows every event applied
/// and no lag.
/// </summary>
internal static class EndToEndBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static async Task<ThroughputResult> RunAsync(BenchmarkOptions options, SimulatedEventSet events, long expectedApplied)
    {
        await using var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        BrokerBacklog.Produce(broker.BootstrapServers, events.Messages);
        await using var silo = await SiloProcess.StartAsync(options, broker.BootstrapServers);

        var (siloBefore, selfBefore) = (silo.Resources(), ProcessResources.Self());
        var watch = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(60 + (events.Count / 1_000.0));
        var reports = new List<(DateTimeOffset At, long Applied)>();
        EngineStatusSample status;
        bool completed;
        while (true)
        {
            status = await silo.StatusAsync();
            if (status.ReportedAt is { } at && (reports.Count == 0 || reports[^1].At < at))
            {
                reports.Add((at, status.EventsApplied));
            }

            completed = status.EventsApplied >= expectedApplied && status.Lag == 0 && status.Partitions == EmbeddedKafkaBroker.DefaultPartitions;
            if (completed || status.MessagesSkipped > 0 || watch.Elapsed > timeout)
            {
                break;
            }

            await Task.Delay(PollInterval);
        }

        var drain = watch.Elapsed;
        var (siloAfter, selfAfter) = (silo.Resources(), ProcessResources.Self());
        return new ThroughputResult(
            Sustained(reports, expectedApplied),
            drain,
            (siloAfter.CpuTime - siloBefore.CpuTime) / drain,
            (selfAfter.CpuTime - selfBefore.CpuTime) / drain,
            siloAfter.PeakResidentBytes,
            status.EventsApplied,
            status.MessagesRejected,
            status.MessagesSkipped,
            completed);
    }

    /// <summary>
    /// The rate between the first report at or above 10 % of the backlog and the last at or below 90 %: start-up
    /// (first activations, JIT) and the tail are left out. The reports come every 2 s, so a short run may have no
    /// two such reports; then the rate is taken between the last report before any event and the first with all.
    /// </summary>
    private static double Sustained(List<(DateTimeOffset At, long Applied)> reports, long expected)
    {
        var from = reports.FindIndex(r => r.Applied >= expected * 0.1);
        var to = reports.FindLastIndex(r => r.Applied <= expected * 0.9);
        if (from < 0 || to <= from)
        {
            from = Math.Max(0, reports.FindLastIndex(r => r.Applied == 0));
            to = reports.FindIndex(r => r.Applied >= expected);
        }

        return from >= 0 && to > from
            ? (reports[to].Applied - reports[from].Applied) / (reports[to].At - reports[from].At).TotalSeconds
            : double.NaN;
    }
}
