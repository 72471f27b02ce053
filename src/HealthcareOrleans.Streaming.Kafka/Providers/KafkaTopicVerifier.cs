using Confluent.Kafka;
using HealthcareOrleans.Streaming.Kafka.Options;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.Providers;

/// <summary>
/// Checks at start-up that the topic exists with exactly the configured number of partitions. A mismatch would leave
/// partitions unread (too few queues) or receivers on partitions that do not exist (too many), silently.
/// </summary>
internal static class KafkaTopicVerifier
{
    public static void Verify(KafkaStreamOptions options, string providerName)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.ForAdmin(options, providerName)).Build();
        Metadata metadata;
        try
        {
            metadata = admin.GetMetadata(options.Topic, options.MetadataTimeout);
        }
        catch (KafkaException exception)
        {
            throw new OrleansConfigurationException(
                $"Stream provider '{providerName}': cannot read metadata of topic '{options.Topic}' from Kafka at '{options.BootstrapServers}' " +
                $"within {options.MetadataTimeout.TotalSeconds:0.#} s ({exception.Error.Reason}). Check Kafka:BootstrapServers and the security settings, or run with Profile=embedded.",
                exception);
        }

        var topic = metadata.Topics.Find(t => t.Topic == options.Topic);
        if (topic is null || topic.Error.Code == Confluent.Kafka.ErrorCode.UnknownTopicOrPart || topic.Partitions.Count == 0)
        {
            throw new OrleansConfigurationException(
                $"Stream provider '{providerName}': topic '{options.Topic}' does not exist on '{options.BootstrapServers}'. " +
                $"Create it with {options.Partitions} partitions (on Event Hubs: create the event hub), or set Kafka:Topic.");
        }

        if (topic.Error.Code != Confluent.Kafka.ErrorCode.NoError)
        {
            throw new OrleansConfigurationException(
                $"Stream provider '{providerName}': metadata of topic '{options.Topic}' reports {topic.Error.Code} ({topic.Error.Reason}).");
        }

        if (topic.Partitions.Count != options.Partitions)
        {
            throw new OrleansConfigurationException(
                $"Stream provider '{providerName}': topic '{options.Topic}' has {topic.Partitions.Count} partitions but Kafka:Partitions is {options.Partitions}. " +
                $"Set Kafka:Partitions={topic.Partitions.Count}. Each partition is one Orleans queue; keep the count stable once data flows.");
        }
    }
}
