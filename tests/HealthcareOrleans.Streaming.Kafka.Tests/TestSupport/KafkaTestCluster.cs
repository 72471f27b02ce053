using Confluent.Kafka;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Streaming.Kafka.DataAdapters;
using HealthcareOrleans.Streaming.Kafka.Diagnostics;
using HealthcareOrleans.Streaming.Kafka.Hosting;
using HealthcareOrleans.Streaming.Kafka.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace HealthcareOrleans.Streaming.Kafka.Tests.TestSupport;

/// <summary>Starts in-process silos wired to a Kafka broker the way the silo host wires them.</summary>
public static class KafkaTestCluster
{
    public static async Task<InProcessTestCluster> StartAsync(
        string bootstrapServers,
        string topic,
        Action<KafkaStreamOptions>? configure = null,
        Action<IServiceCollection>? services = null,
        CapturedLogs? logs = null,
        short silos = 2,
        IKafkaDataAdapter? dataAdapter = null)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddKafkaStreams(PatientFlowStreams.ProviderName, options =>
            {
                options.BootstrapServers = bootstrapServers;
                options.Topic = topic;
                options.CheckpointInterval = TimeSpan.FromSeconds(1);
                options.MaxEventDeliveryTime = TimeSpan.FromSeconds(2);
                configure?.Invoke(options);
            }, provider => provider.UseDataAdapter((_, _) => dataAdapter ?? new KeyedStreamDataAdapter(PatientFlowStreams.PatientNamespace, PatientFlowStreams.UnkeyedNamespace)));
            services?.Invoke(silo.Services);
            if (logs is not null)
            {
                silo.Services.AddLogging(logging => logging.AddProvider(logs));
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static IEnumerable<PartitionTracker> Trackers(InProcessTestCluster cluster) =>
        cluster.Silos.Where(s => s.IsActive).SelectMany(s => s.ServiceProvider.GetRequiredService<KafkaPartitionMonitor>().ActiveTrackers);

    /// <summary>Produces messages and returns each one's partition and offset (from the broker's acknowledgement).</summary>
    public static async Task<List<(string? Key, int Partition, long Offset)>> ProduceAsync(
        string bootstrapServers, string topic, IEnumerable<(string? Key, int? Partition)> messages)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = bootstrapServers, LingerMs = 2 }).Build();
        var reports = new List<Task<DeliveryResult<string?, byte[]>>>();
        var payload = "{\"event_type\":\"UPDATE\",\"schema_version\":1}"u8.ToArray();
        foreach (var (key, partition) in messages)
        {
            var message = new Message<string?, byte[]> { Key = key, Value = payload };
            reports.Add(partition is { } p
                ? producer.ProduceAsync(new TopicPartition(topic, p), message)
                : producer.ProduceAsync(topic, message));
        }

        var results = await Task.WhenAll(reports);
        return [.. results.Select(r => (r.Message.Key, r.Partition.Value, r.Offset.Value))];
    }

    /// <summary>The next offset of every partition: what a fully caught-up checkpoint holds.</summary>
    public static long[] EndOffsets(string bootstrapServers, string topic, int partitions = 4)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "test-watermarks" }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value)];
    }
}
