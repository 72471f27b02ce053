using System.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Embedded;

namespace HealthcareOrleans.Benchmarks;

/// <summary>
/// Watches a silo work through a backlog: <c>/api/status</c> is polled until every expected event is applied with no
/// lag on all partitions (or messages were skipped, or every message was settled without that, or time ran out), and
/// the maximum sustained rate is read off the silo's own reports.
/// </summary>
internal static class BacklogDrain
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <param name="messages">Messages in the whole backlog.</param>
    /// <param name="expectedApplied">Events the Silver rules accept among them.</param>
    /// <param name="onStatus">Sees every status read, e.g. to produce more of a backlog the broker cannot hold at once.</param>
    public static async Task<ThroughputResult> MeasureAsync(SiloProcess silo, int messages, long expectedApplied, Action<EngineStatusSample>? onStatus = null)
    {
        var (siloBefore, selfBefore) = (silo.Resources(), ProcessResources.Self());
        var gcBefore = await silo.GcCountersAsync();
        var appliedBefore = (await silo.StatusAsync()).EventsApplied;
        var watch = Stopwatch.StartNew();
        // Generous: the engine applies a few thousand events a second here.
        var timeout = TimeSpan.FromSeconds(60 + (messages / 1_000.0));
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
            // Every message read and applied or rejected: waiting longer cannot complete a run that has not.
            var settled = status.Lag == 0 && status.EventsApplied + status.MessagesRejected >= messages;
            if (completed || settled || status.MessagesSkipped > 0 || watch.Elapsed > timeout)
            {
                break;
            }

            onStatus?.Invoke(status);
            await Task.Delay(PollInterval);
        }

        var drain = watch.Elapsed;
        var (siloAfter, selfAfter) = (silo.Resources(), ProcessResources.Self());
        var gcAfter = await silo.GcCountersAsync();
        var applied = status.EventsApplied - appliedBefore;
        var gc = gcBefore is not null && gcAfter is not null && applied > 0
            ? new DrainGc((gcAfter.AllocatedBytes - gcBefore.AllocatedBytes) / (double)applied, (gcAfter.PauseSeconds - gcBefore.PauseSeconds) / drain.TotalSeconds)
            : null;
        return new ThroughputResult(
            Sustained(reports, expectedApplied),
            drain,
            (siloAfter.CpuTime - siloBefore.CpuTime) / drain,
            (selfAfter.CpuTime - selfBefore.CpuTime) / drain,
            siloAfter.PeakResidentBytes,
            status.EventsApplied,
            status.MessagesRejected,
            status.MessagesSkipped,
            completed,
            gc);
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
