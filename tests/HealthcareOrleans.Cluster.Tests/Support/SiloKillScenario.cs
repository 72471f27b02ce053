using System.Diagnostics;
using Confluent.Kafka;
using HealthcareOrleans.Testing;
using static HealthcareOrleans.Cluster.Tests.Support.LocalSiloCluster;

namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>
/// Guarantee 1 under a kill -9, whatever keeps the cluster's state: the simulator produces at a steady rate; the silo
/// holding the most partitions is killed with SIGKILL half-way. Bronze must hold every produced offset exactly once and
/// the live ward state must equal a single-threaded replay of the same records. The time from the kill to recovery is
/// printed.
/// </summary>
public static class SiloKillScenario
{
    /// <returns>The name of the silo that was killed, and the records produced.</returns>
    public static async Task<(string Killed, IReadOnlyList<HealthcareOrleans.Contracts.Streaming.BrokerRecord> Records)> RunAsync(LocalSiloCluster cluster, int eventCount, int eventsPerSecond, Stopwatch total)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(total);
        var messages = await GenerateAsync(eventCount, seed: 8);
        cluster.Progress($"generated {messages.Count} events; cluster up in {total.Elapsed.TotalSeconds:0.0} s");

        using var watermarks = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = cluster.Broker.BootstrapServers, GroupId = "cluster-test-watermarks" }).Build();
        SiloProcess? killed = null;
        Recovery? recovery = null;
        Task? monitor = null;
        using var stopMonitor = new CancellationTokenSource();
        var records = await cluster.ProduceAtRateAsync(messages, eventsPerSecond, async sent =>
        {
            if (killed is not null || sent < messages.Count / 2)
            {
                return;
            }

            var status = await cluster.StatusAsync(cluster.Silos);
            // The silo holding the most partitions: killing it moves the most work.
            var victimName = status?.Reports.OrderByDescending(r => r.Partitions.Count).First().Silo ?? cluster.Silos[0].Name;
            killed = cluster.Silos.Single(s => s.Name == victimName);
            var endAtKill = Enumerable.Range(0, Partitions)
                .ToDictionary(p => p, p => watermarks.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5)).High.Value);
            killed.Process.KillHard();
            recovery = new Recovery(killed.Name, endAtKill);
            cluster.Progress($"kill -9 {killed.Name} (partitions {string.Join(',', status?.Reports.Single(r => r.Silo == victimName).Partitions.Select(p => p.Partition) ?? [])}) after {sent} of {messages.Count} events");
            monitor = MonitorAsync(cluster, recovery, stopMonitor.Token);
        });
        var producingEndedAfterKill = recovery?.SinceKill.Elapsed;
        Assert.NotNull(killed);

        await cluster.AssertBronzeExactlyOnceAsync(records);
        await cluster.AssertCensusEqualsReferenceAsync(records);

        // Recovery: the status API reports lag 0 again (the monitor runs until then).
        await Eventually.TrueAsync(() => Task.FromResult(recovery!.LagZero is not null), TimeSpan.FromSeconds(60),
            async () => $"lag never returned to 0: {(await cluster.StatusAsync(cluster.Running))?.Raw}");
        await stopMonitor.CancelAsync();
        await monitor!;
        cluster.Progress($"recovery after kill -9 of {recovery!.Killed}: partitions re-owned by survivors after {Seconds(recovery.Reassigned)}; "
            + $"kill-time backlog read after {Seconds(recovery.CaughtUp)}; /api/status lag 0 after {Seconds(recovery.LagZero)} "
            + $"(producing ended {Seconds(producingEndedAfterKill)} after the kill, at {eventsPerSecond} events/s)");
        cluster.Progress($"test body {total.Elapsed.TotalSeconds:0.0} s");
        return (recovery.Killed, records);
    }

    private static string Seconds(TimeSpan? span) => span is { } s ? $"{s.TotalSeconds:0.0} s" : "never";

    private sealed class Recovery(string killed, Dictionary<int, long> endAtKill)
    {
        public string Killed { get; } = killed;
        public Dictionary<int, long> EndAtKill { get; } = endAtKill;
        public Stopwatch SinceKill { get; } = Stopwatch.StartNew();
        public TimeSpan? Reassigned { get; set; }
        public TimeSpan? CaughtUp { get; set; }
        public TimeSpan? LagZero { get; set; }
    }

    /// <summary>
    /// Polls the survivors' /api/status: when every partition is reported again by a live silo, when each has read past
    /// the broker's end at the kill, and when the API's lag is 0 (all four partitions reported by live silos).
    /// </summary>
    private static async Task MonitorAsync(LocalSiloCluster cluster, Recovery recovery, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested && recovery.LagZero is null)
        {
            if (await cluster.StatusAsync(cluster.Running) is { } status)
            {
                var live = status.Reports.Where(r => r.Silo != recovery.Killed).ToList();
                var covered = live.SelectMany(r => r.Partitions).Select(p => p.Partition).Distinct().Count();
                if (covered == Partitions)
                {
                    recovery.Reassigned ??= recovery.SinceKill.Elapsed;
                    var next = live.SelectMany(r => r.Partitions).GroupBy(p => p.Partition).ToDictionary(g => g.Key, g => g.Max(p => p.NextOffset));
                    if (recovery.CaughtUp is null && recovery.EndAtKill.All(e => next[e.Key] >= e.Value))
                    {
                        recovery.CaughtUp = recovery.SinceKill.Elapsed;
                    }

                    if (recovery.CaughtUp is not null && status.Lag == 0 && status.Reports.All(r => r.Silo != recovery.Killed))
                    {
                        recovery.LagZero = recovery.SinceKill.Elapsed;
                    }
                }
            }

            try
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
