using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

namespace HealthcareOrleans.Streaming.Kafka.Tests;

[Collection("cluster")]
public sealed class BackPressureTests
{
    [Fact]
    public async Task A_slow_consumer_keeps_the_cache_and_read_ahead_bounded_and_leaves_the_rest_in_kafka()
    {
        const int cacheSize = 100;
        const int prefetch = 20;
        const int count = 600;
        DeliverySink.Reset();
        DeliverySink.Behavior = _ => Task.Delay(3);
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-slow"]);
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-slow", options =>
        {
            options.CacheSize = cacheSize;
            options.PrefetchCount = prefetch;
            options.WatermarkRefreshInterval = TimeSpan.FromMilliseconds(50);
        });

        // One patient: one stream, one cursor that pins Orleans' cache while the consumer is slow. Produced after
        // both silos run, so no queue changes hands during the test.
        await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-slow",
            Enumerable.Range(0, count).Select(_ => ((string?)"patient-slow", (int?)null)));
        var maxCache = 0;
        var maxReadAhead = 0;
        var maxLag = 0L;
        await Eventually.TrueAsync(() =>
        {
            foreach (var tracker in KafkaTestCluster.Trackers(cluster))
            {
                maxCache = Math.Max(maxCache, tracker.CacheSize);
                maxReadAhead = Math.Max(maxReadAhead, tracker.ReadAhead);
                maxLag = Math.Max(maxLag, tracker.Lag);
            }

            return DeliverySink.Deliveries.Count >= count;
        }, TimeSpan.FromSeconds(60), () => $"{DeliverySink.Deliveries.Count} of {count} delivered");

        Assert.InRange(maxCache, 1, cacheSize);
        Assert.InRange(maxReadAhead, 0, prefetch);
        // Orleans stopped asking while its cache was full: most messages waited in Kafka, not in silo memory.
        Assert.True(maxLag >= count - cacheSize - prefetch - 50, $"max lag {maxLag}: the receiver read ahead of the consumer");
        var offsets = DeliverySink.Deliveries.OrderBy(d => d.Sequence).Select(d => d.Record.Offset).ToArray();
        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), offsets);
    }

    [Fact]
    public async Task A_consumer_that_always_throws_on_one_message_does_not_stop_the_partition()
    {
        DeliverySink.Reset();
        var store = new InMemoryPartitionCheckpointStore();
        await using var broker = await EmbeddedKafkaBroker.StartAsync(["flow-poison"]);
        var produced = await KafkaTestCluster.ProduceAsync(broker.BootstrapServers, "flow-poison",
            Enumerable.Range(0, 50).Select(_ => ((string?)"patient-poison", (int?)null)));
        var poison = produced[10];
        DeliverySink.Behavior = record => record.Offset == poison.Offset && record.Partition == poison.Partition
            ? throw new InvalidOperationException("poison message")
            : Task.CompletedTask;
        await using var cluster = await KafkaTestCluster.StartAsync(broker.BootstrapServers, "flow-poison",
            options =>
            {
                options.MaxEventDeliveryTime = TimeSpan.FromSeconds(1);
                options.MaxDeliveryRetryTime = TimeSpan.FromSeconds(2);
            },
            services => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddKeyedSingleton<IPartitionCheckpointStore>(services, PatientFlowStreams.ProviderName, store));

        // Delivery is at least once: a retried message may arrive twice, so count distinct offsets, not deliveries.
        int Distinct() => DeliverySink.Deliveries.Select(d => d.Record.Offset).Distinct().Count();
        await Eventually.TrueAsync(() => Distinct() >= 49, TimeSpan.FromSeconds(30),
            () => $"{Distinct()} of 49 distinct messages delivered ({DeliverySink.Deliveries.Count} deliveries)");
        Assert.DoesNotContain(DeliverySink.Deliveries, d => d.Record.Offset == poison.Offset);
        Assert.Contains(DeliverySink.Deliveries, d => d.Record.Offset == produced[^1].Offset);

        // Acknowledgements are not held by the poison message: the checkpoint reaches the partition's end.
        var key = new PartitionCheckpointKey(PatientFlowStreams.ProviderName, "flow-poison", poison.Partition);
        await Eventually.TrueAsync(() => store.LoadAsync(key, default).AsTask().Result == produced[^1].Offset + 1, TimeSpan.FromSeconds(10),
            () => $"checkpoint {store.LoadAsync(key, default).AsTask().Result} never passed the poison message");
    }
}
