using Confluent.Kafka;

namespace HealthcareOrleans.Streaming.Kafka.Options;

/// <summary>Builds librdkafka configurations from <see cref="KafkaStreamOptions"/>: the provider's defaults, then the user's extras.</summary>
internal static class KafkaClientConfigs
{
    public static ConsumerConfig ForReceiver(KafkaStreamOptions options, string providerName, int partition)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.ConsumerGroup,
            ClientId = $"{providerName}-{options.Topic}-{partition}",
            // Orleans decides which silo reads a partition and when an offset is safe; Kafka must not commit on its own.
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            // Used only if a stored offset has been deleted by retention between checkpoint and restart.
            AutoOffsetReset = options.StartFrom == KafkaStartPosition.Beginning ? AutoOffsetReset.Earliest : AutoOffsetReset.Latest,
            // librdkafka prefetches up to 64 MiB per partition by default; with Orleans' cache and our channel in
            // front of it that is memory with no benefit, and it hides back-pressure from the broker's lag metric.
            QueuedMaxMessagesKbytes = 8192,
            SocketNagleDisable = true,
            // A real broker answers a fetch as soon as data arrives; librdkafka's mock broker (the embedded profile)
            // only when the wait ends, which put a 500 ms floor under latency there. 50 ms costs at most 20 empty
            // fetches a second per idle partition.
            FetchWaitMaxMs = 50,
        };
        ApplyExtras(config, options);
        return config;
    }

    public static AdminClientConfig ForAdmin(KafkaStreamOptions options, string providerName)
    {
        var config = new AdminClientConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = $"{providerName}-metadata",
        };
        ApplyExtras(config, options);
        return config;
    }

    private static void ApplyExtras(ClientConfig config, KafkaStreamOptions options)
    {
        foreach (var (key, value) in options.KafkaConfig)
        {
            config.Set(key, value);
        }
    }
}
