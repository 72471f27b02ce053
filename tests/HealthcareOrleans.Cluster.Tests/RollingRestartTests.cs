using System.Globalization;
using System.Text.RegularExpressions;
using HealthcareOrleans.Cluster.Tests.Support;
using HealthcareOrleans.Testing;
using Xunit.Abstractions;
using static HealthcareOrleans.Cluster.Tests.Support.LocalSiloCluster;

namespace HealthcareOrleans.Cluster.Tests;

/// <summary>
/// Issue 8, graceful side: while the simulator produces at a steady rate, every silo in turn gets SIGTERM (as a rolling
/// update does), exits, and starts again. Nothing may be lost or duplicated in Bronze, the live census must equal the
/// reference, and every partition handed over must resume exactly at the checkpoint its previous owner saved last —
/// not at an older one, which is what happens when the next owner starts before the old one has let go — and that
/// checkpoint must be exactly where Bronze ends, so nothing Bronze holds is read twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class RollingRestartTests(ITestOutputHelper output)
{
    private static readonly int EventCount = Setting("HC_ROLLING_TEST_EVENTS", 100_000);
    private static readonly int EventsPerSecond = Setting("HC_CLUSTER_TEST_RATE", 2_000);

    [Fact]
    public async Task Restarting_every_silo_in_turn_hands_each_partition_over_at_its_last_checkpoint_and_loses_nothing()
    {
        await using var cluster = await LocalSiloCluster.StartAsync(siloCount: 3, output.WriteLine);
        var messages = await GenerateAsync(EventCount, seed: 9);
        Task? rolling = null;
        var records = await cluster.ProduceAtRateAsync(messages, EventsPerSecond, sent =>
        {
            rolling ??= sent >= messages.Count / 10 ? RestartEachSiloAsync(cluster) : null;
            return Task.CompletedTask;
        });
        Assert.NotNull(rolling);
        await rolling;

        await cluster.AssertBronzeExactlyOnceAsync(records);
        await cluster.AssertCensusEqualsReferenceAsync(records);

        // A handover at the very end (a partition moving back to the silo that just returned) may still be waiting for
        // its new owner's first read when the checks above finish: wait, bounded, for every one to be resumed.
        var (handovers, unresumed) = Handovers(cluster);
        await Eventually.TrueAsync(() =>
            {
                (handovers, unresumed) = Handovers(cluster);
                return unresumed.Count == 0;
            },
            TimeSpan.FromSeconds(60),
            () => string.Join(Environment.NewLine, unresumed.Select(u => u + Environment.NewLine + PartitionLines(cluster, u))));
        foreach (var h in handovers)
        {
            cluster.Progress($"partition {h.Partition}: {h.From} handed over at checkpoint {Show(h.Checkpoint)} (Bronze durable to {Show(h.BronzeDurable)}); "
                + $"{h.To} resumed at {Show(h.ResumedAt)} (loaded checkpoint {Show(h.LoadedCheckpoint)}); re-read {h.ReRead} records Bronze already held");
        }

        // The cluster folder is deleted after the test: keep what the silos said about a partition whose handover was not exact.
        foreach (var partition in handovers.Where(h => h.Checkpoint != h.BronzeDurable || h.ReRead != 0 || h.Checkpoint != h.ResumedAt).Select(h => h.Partition).Distinct())
        {
            cluster.Progress(PartitionLines(cluster, partition));
        }

        // Each SIGTERM moves the stopped silo's partitions away, and its return may move some back: at least one per stop.
        Assert.True(handovers.Count >= cluster.Silos.Count, $"only {handovers.Count} handovers seen");
        Assert.All(handovers, h =>
        {
            Assert.Equal(h.Checkpoint, h.LoadedCheckpoint);
            Assert.Equal(h.Checkpoint, h.ResumedAt);
            // Bronze and the consumers stop at one offset: the next owner re-reads nothing Bronze already holds.
            Assert.Equal(h.BronzeDurable, h.Checkpoint);
            Assert.Equal(0, h.ReRead);
        });
        Assert.Contains(handovers, h => h.Checkpoint > 0);
        cluster.Progress($"{handovers.Count} handovers ({handovers.Count(h => h.Checkpoint > 0)} mid-stream), each resumed at its previous owner's final checkpoint, "
            + $"which equals what Bronze holds: {handovers.Sum(h => h.ReRead)} records re-read");
    }

    private static async Task RestartEachSiloAsync(LocalSiloCluster cluster)
    {
        foreach (var silo in cluster.Silos)
        {
            var exitCode = await silo.Process.TerminateAsync(TimeSpan.FromSeconds(90));
            cluster.Progress($"SIGTERM {silo.Name}: exited with {exitCode}");
            if (exitCode != 0)
            {
                // The cluster folder is deleted after the test: keep the end of the silo's log where the failure is read.
                cluster.Progress($"last lines of {silo.Name}'s log:{Environment.NewLine}{string.Join(Environment.NewLine, File.ReadLines(silo.Process.LogFile).TakeLast(60))}");
            }

            Assert.Equal(0, exitCode);
            silo.Restart();
            await cluster.WaitUntilReadyAsync([silo]);
            await Eventually.TrueAsync(async () => await cluster.StatusAsync(cluster.Running) is { } s && s.Covered.Count == Partitions
                    && s.Reports.Any(r => r.Silo == silo.Name),
                TimeSpan.FromSeconds(90), async () => $"partitions not all owned after {silo.Name} restarted: {(await cluster.StatusAsync(cluster.Running))?.Raw}");
            cluster.Progress($"{silo.Name} back; every partition owned");
        }
    }

    /// <summary>What each silo logged about a partition (the cluster folder is deleted after the test).</summary>
    private static string PartitionLines(LocalSiloCluster cluster, int partition) =>
        string.Join(Environment.NewLine, cluster.Silos.Select(silo =>
            $"{silo.Name} on partition {partition}:{Environment.NewLine}" + string.Join(Environment.NewLine,
                silo.LogFiles.Where(File.Exists).SelectMany(File.ReadLines).Where(l => l.Contains($"/{partition}:", StringComparison.Ordinal)).TakeLast(40))));

    private static string PartitionLines(LocalSiloCluster cluster, string unresumed) =>
        PartitionLines(cluster, int.Parse(unresumed["partition ".Length..unresumed.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture));

    private static string Show(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private sealed record Handover(int Partition, string From, string To, long? Checkpoint, long? BronzeDurable, long? LoadedCheckpoint, long? BronzeNeeded, long? ResumedAt)
    {
        public long ReRead => BronzeDurable is { } durable && ResumedAt is { } resumed ? Math.Max(0, durable - resumed) : 0;
    }

    private sealed record LogEvent(DateTime At, string Silo, int Partition, bool HandingOver, long? First, long? Second, long? Third);

    /// <summary>
    /// Pairs, per partition and in time order, each "handing over" line with the next "resuming" line from any silo. The
    /// silos log UTC timestamps; the old owner logs before it releases the lease, the new one after it took it.
    /// </summary>
    private static (List<Handover> Handovers, List<string> Unresumed) Handovers(LocalSiloCluster cluster)
    {
        var events = new List<LogEvent>();
        foreach (var silo in cluster.Silos)
        {
            foreach (var file in silo.LogFiles.Where(File.Exists))
            {
                foreach (var line in File.ReadLines(file))
                {
                    if (HandingOverLine().Match(line) is { Success: true } h)
                    {
                        events.Add(new LogEvent(Time(h), silo.Name, Int(h, "partition"), true, Long(h, "checkpoint"), Long(h, "durable"), null));
                    }
                    else if (ResumingLine().Match(line) is { Success: true } r)
                    {
                        events.Add(new LogEvent(Time(r), silo.Name, Int(r, "partition"), false, Long(r, "delivered"), Long(r, "needed"), Long(r, "resume")));
                    }
                }
            }
        }

        var handovers = new List<Handover>();
        var unresumed = new List<string>();
        foreach (var partition in events.GroupBy(e => e.Partition))
        {
            LogEvent? pending = null;
            foreach (var e in partition.OrderBy(e => e.At))
            {
                if (e.HandingOver)
                {
                    pending = e;
                }
                else if (pending is not null)
                {
                    handovers.Add(new Handover(e.Partition, pending.Silo, e.Silo, pending.First, pending.Second, e.First, e.Second, e.Third));
                    pending = null;
                }
            }

            if (pending is not null)
            {
                unresumed.Add($"partition {partition.Key}: handed over by {pending.Silo} at {pending.At:O} but no silo resumed it");
            }
        }

        return (handovers, unresumed);
    }

    private static DateTime Time(Match m) => DateTime.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    private static int Int(Match m, string name) => int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);

    private static long? Long(Match m, string name) => long.TryParse(m.Groups[name].Value, CultureInfo.InvariantCulture, out var v) ? v : null;

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) .*Kafka [^/]+/(?<partition>\d+): handing over at checkpoint (?<checkpoint>\S+), record sink durable up to (?<durable>\S+)$")]
    private static partial Regex HandingOverLine();

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}) .*Kafka [^/]+/(?<partition>\d+): delivery checkpoint (?<delivered>\S+), record sink needs (?<needed>\S+): resuming at (?<resume>\S+)$")]
    private static partial Regex ResumingLine();
}
