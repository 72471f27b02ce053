using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

[Collection("cluster")]
public sealed class CheckpointTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Delivered_offsets_are_checkpointed_within_the_interval_and_a_new_cluster_resumes_from_them()
    {
        DeliverySink.Reset();
        var directory = Directory.CreateTempSubdirectory("hc-kafka-checkpoint-").FullName;
        var store = new FilePartitionCheckpointStore(directory);
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-checkpoint"]);
        var first = KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-checkpoint", o => o.CheckpointDirectory = directory);
        await using (var cluster = await first)
        {
            await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-checkpoint",
                Enumerable.Range(0, 2_000).Select(i => ((string?)$"patient-{i % 50}", (int?)null)));
            await Eventually.TrueAsync(() => DeliverySink.Deliveries.Count >= 2_000, TimeSpan.FromSeconds(30),
                () => $"{DeliverySink.Deliveries.Count} of 2000 delivered");

            // No more reads, purges or shutdowns happen from here: only the checkpoint timer can write.
            var ends = KafkaTestCluster.EndOffsets(broker.BootstrapServers, "flow-checkpoint");
            var waited = await Eventually.TrueAsync(
                () => Enumerable.Range(0, 4).All(p => Load(store, p) == ends[p]),
                Interval + TimeSpan.FromSeconds(3),
                () => $"checkpoints {string.Join(",", Enumerable.Range(0, 4).Select(p => Load(store, p)))} vs ends {string.Join(",", ends)}");
            Assert.True(waited < Interval + TimeSpan.FromSeconds(3));
            Assert.All(KafkaTestCluster.Trackers(cluster), t => Assert.Equal(ends[t.Partition], t.CheckpointedOffset));
        }

        var checkpoints = Enumerable.Range(0, 4).Select(p => Load(store, p)!.Value).ToArray();
        DeliverySink.Reset();
        // Produced once both new silos run: a backlog present at start-up would be read by the first silo and handed
        // to the second as it joins, which replays the unsaved tail (at-least-once; dotnet/orleans#11242).
        await using var second = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-checkpoint", o => o.CheckpointDirectory = directory);
        var more = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-checkpoint",
            Enumerable.Range(0, 100).Select(i => ((string?)$"patient-{i % 50}", (int?)null)));
        var expected = more.Select(m => (m.Partition, m.Offset)).ToHashSet();
        await Eventually.TrueAsync(() => expected.IsSubsetOf(DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset))), TimeSpan.FromSeconds(30),
            () => $"{DeliverySink.Deliveries.Count} of 100 delivered after restart");

        var redelivered = DeliverySink.Deliveries.Where(d => d.Record.Offset < checkpoints[d.Record.Partition]).ToArray();
        Assert.Empty(redelivered);
        Assert.Equal(more.Select(m => (m.Partition, m.Offset)).Order(), DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset)).Order());
    }

    [Fact]
    public async Task A_checkpoint_beyond_the_partition_end_resets_to_the_start_with_a_warning()
    {
        DeliverySink.Reset();
        var logs = new CapturedLogs();
        var store = new InMemoryPartitionCheckpointStore();
        for (var p = 0; p < 4; p++)
        {
            await store.SaveAsync(new PartitionCheckpointKey(PatientFlowStreams.ProviderName, "flow-reset", p), 1_000_000, default);
        }

        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-reset"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-reset",
            services: services => services.AddKeyedSingleton<IPartitionCheckpointStore>(PatientFlowStreams.ProviderName, store),
            logs: logs);
        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-reset",
            Enumerable.Range(0, 200).Select(i => ((string?)$"patient-{i % 20}", (int?)null)));

        var expected = produced.Select(m => (m.Partition, m.Offset)).ToHashSet();
        await Eventually.TrueAsync(() => expected.IsSubsetOf(DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset))), TimeSpan.FromSeconds(30),
            () => $"{DeliverySink.Deliveries.Count} of 200 delivered");
        Assert.Equal(produced.Select(m => (m.Partition, m.Offset)).Order(), DeliverySink.Deliveries.Select(d => (d.Record.Partition, d.Record.Offset)).Order());
        // One warning per partition and receiver start: at least the four first starts (a queue that moves to the
        // second silo as it joins starts again and warns again, the stale checkpoint not yet overwritten).
        Assert.InRange(logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("beyond the partition's end", StringComparison.Ordinal)), 4, 8);

        // The stale checkpoint is replaced by the real position, although that number is smaller.
        var ends = KafkaTestCluster.EndOffsets(broker.BootstrapServers, "flow-reset");
        await Eventually.TrueAsync(
            () => Enumerable.Range(0, 4).All(p => store.LoadAsync(new PartitionCheckpointKey(PatientFlowStreams.ProviderName, "flow-reset", p), default).AsTask().Result == ends[p]),
            Interval + TimeSpan.FromSeconds(3), () => "checkpoints not rewritten");
    }

    [Fact]
    public async Task File_store_replaces_the_offset_atomically_and_leaves_no_temporary_files()
    {
        var directory = Directory.CreateTempSubdirectory("hc-kafka-store-").FullName;
        var store = new FilePartitionCheckpointStore(directory);
        var key = new PartitionCheckpointKey("patient/flow", "topic.a", 3);

        Assert.Null(await store.LoadAsync(key, default));
        await store.SaveAsync(key, 41, default);
        await store.SaveAsync(key, 42, default);

        Assert.Equal(42, await store.LoadAsync(key, default));
        Assert.Null(await store.LoadAsync(key with { Topic = "topic_a" }, default));
        Assert.Single(Directory.GetFiles(directory));
        Assert.Equal(42, await new FilePartitionCheckpointStore(directory).LoadAsync(key, default));
    }

    private static long? Load(FilePartitionCheckpointStore store, int partition) =>
        store.LoadAsync(new PartitionCheckpointKey(PatientFlowStreams.ProviderName, "flow-checkpoint", partition), default).AsTask().Result;
}
