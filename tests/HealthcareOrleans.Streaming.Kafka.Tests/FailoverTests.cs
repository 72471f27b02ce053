using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

[Collection("cluster")]
public sealed class FailoverTests
{
    /// <summary>
    /// Stopping a silo moves its partitions to the other one. The new owner resumes from the last checkpoint, so
    /// messages the stopped silo delivered after that checkpoint are delivered again: at-least-once. Such a repeat can
    /// only happen after the stop, and nothing may be missing.
    /// </summary>
    [Fact]
    public async Task Stopping_one_of_two_silos_mid_stream_loses_nothing_and_repeats_only_after_the_stop()
    {
        DeliverySink.Reset();
        var directory = Directory.CreateTempSubdirectory("hc-kafka-failover-").FullName;
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-failover"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-failover",
            options => options.CheckpointDirectory = directory);

        var keys = Enumerable.Range(0, 20_000).Select(i => ((string?)$"patient-{i % 500}", (int?)null)).ToArray();
        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-failover", keys[..10_000]);
        await Eventually.TrueAsync(() => DeliverySink.Deliveries.Count >= 5_000, TimeSpan.FromSeconds(60),
            () => $"{DeliverySink.Deliveries.Count} delivered before the stop");

        var stopMark = DeliverySink.NextSequence;
        await cluster.StopSiloAsync(cluster.Silos[1]);
        produced.AddRange(await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-failover", keys[10_000..]));

        var expected = produced.Select(p => (p.Partition, p.Offset)).ToHashSet();
        await Eventually.TrueAsync(
            () => expected.IsSubsetOf(DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset))),
            TimeSpan.FromSeconds(60),
            () => $"{DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset)).Distinct().Count()} of 20000 distinct delivered; missing {string.Join(",", expected.Except(DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset))).Take(20))}");

        var deliveries = DeliverySink.Deliveries.OrderBy(d => d.Sequence).ToArray();
        foreach (var repeat in deliveries.GroupBy(d => (d.Record.Partition, d.Record.Offset)).Where(g => g.Count() > 1))
        {
            Assert.All(repeat.Skip(1), d => Assert.True(d.Sequence > stopMark, $"offset {repeat.Key} delivered twice before the stop"));
        }

        Assert.All(deliveries.Where(d => d.Sequence <= stopMark).GroupBy(d => d.GrainKey), perKey =>
        {
            var offsets = perKey.Select(d => d.Record.Offset).ToArray();
            Assert.True(offsets.Zip(offsets.Skip(1)).All(pair => pair.First < pair.Second), $"offsets of {perKey.Key} out of order before the stop");
        });
        Assert.All(deliveries.GroupBy(d => d.GrainKey), perKey =>
        {
            var firstSeen = perKey.DistinctBy(d => d.Record.Offset).Select(d => d.Record.Offset).ToArray();
            Assert.True(firstSeen.Zip(firstSeen.Skip(1)).All(pair => pair.First < pair.Second), $"new offsets of {perKey.Key} out of order");
        });
        Assert.Equal(4, KafkaTestCluster.Trackers(cluster).Count());
    }
}
