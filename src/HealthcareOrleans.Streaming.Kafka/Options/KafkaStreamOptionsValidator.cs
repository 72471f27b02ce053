using Orleans;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.Kafka.Options;

/// <summary>
/// Fails silo start-up with a message that says what to change, instead of letting a receiver fail later on a
/// background timer where nobody looks.
/// </summary>
internal sealed class KafkaStreamOptionsValidator(KafkaStreamOptions options, string providerName) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var errors = Validate(options, providerName);
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException(string.Join(Environment.NewLine, errors));
        }
    }

    internal static List<string> Validate(KafkaStreamOptions options, string providerName)
    {
        var errors = new List<string>();
        var prefix = $"Stream provider '{providerName}': ";
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            errors.Add(prefix + "Kafka:BootstrapServers is empty. Set it, or run with Profile=embedded.");
        }

        if (string.IsNullOrWhiteSpace(options.Topic))
        {
            errors.Add(prefix + "Kafka:Topic is empty. Set it to the topic the producers write.");
        }

        if (options.Partitions is < 1 or > 1024)
        {
            errors.Add(prefix + $"Kafka:Partitions is {options.Partitions}. Set it to the topic's partition count (1 to 1024).");
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            errors.Add(prefix + "Kafka:ConsumerGroup is empty. Set a group id; it is only used to make committed offsets visible.");
        }

        if (!Enum.IsDefined(options.StartFrom))
        {
            errors.Add(prefix + $"Kafka:StartFrom '{options.StartFrom}' is unknown. Use Beginning or End.");
        }

        if (string.IsNullOrWhiteSpace(options.SourceId) || options.SourceId.Contains('/', StringComparison.Ordinal))
        {
            errors.Add(prefix + $"Kafka:SourceId '{options.SourceId}' is blank or contains '/'. Name the log, e.g. 'kafka' or 'eventhubs-prod' (the embedded broker gets a fresh one per start).");
        }

        if (options.CheckpointSettleDelay < TimeSpan.Zero)
        {
            errors.Add(prefix + $"Kafka:CheckpointSettleDelay is {options.CheckpointSettleDelay}. Set zero or a positive duration.");
        }

        AddIfNotPositive(errors, prefix, nameof(options.CheckpointInterval), options.CheckpointInterval);
        AddIfNotPositive(errors, prefix, nameof(options.MaxReadWait), options.MaxReadWait);
        AddIfNotPositive(errors, prefix, nameof(options.MaxEventDeliveryTime), options.MaxEventDeliveryTime);
        if (options.MaxDeliveryWait < TimeSpan.Zero)
        {
            errors.Add(prefix + $"Kafka:{nameof(options.MaxDeliveryWait)} is {options.MaxDeliveryWait}. Set zero (read without waiting) or a positive duration.");
        }

        AddIfNotPositive(errors, prefix, nameof(options.MaxDeliveryRetryTime), options.MaxDeliveryRetryTime);
        AddIfNotPositive(errors, prefix, nameof(options.MetadataTimeout), options.MetadataTimeout);
        AddIfNotPositive(errors, prefix, nameof(options.WatermarkRefreshInterval), options.WatermarkRefreshInterval);

        if (options.CacheSize < 10)
        {
            errors.Add(prefix + $"Kafka:CacheSize is {options.CacheSize}. Set at least 10 (the Orleans cache works in tenths).");
        }

        if (options.MaxBatchSize < 1)
        {
            errors.Add(prefix + $"Kafka:MaxBatchSize is {options.MaxBatchSize}. Set at least 1 (messages per delivery).");
        }

        if (options.PrefetchCount < 1)
        {
            errors.Add(prefix + $"Kafka:PrefetchCount is {options.PrefetchCount}. Set at least 1.");
        }

        if (options.CheckpointDirectory is { } directory && string.IsNullOrWhiteSpace(directory))
        {
            errors.Add(prefix + "Kafka:CheckpointDirectory is blank. Remove it to keep checkpoints in memory, or name a writable directory.");
        }

        foreach (var key in ReservedKafkaKeys)
        {
            if (options.KafkaConfig.ContainsKey(key))
            {
                errors.Add(prefix + $"Kafka:KafkaConfig sets '{key}', which the provider owns (Orleans assigns partitions and checkpoints offsets). Remove it.");
            }
        }

        return errors;
    }

    /// <summary>Settings whose change would break Orleans' ownership of partitions and offsets.</summary>
    internal static readonly string[] ReservedKafkaKeys =
        ["enable.auto.commit", "enable.auto.offset.store", "group.protocol", "partition.assignment.strategy", "bootstrap.servers", "group.id"];

    private static void AddIfNotPositive(List<string> errors, string prefix, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add(prefix + $"Kafka:{name} is {value}. Set a positive duration.");
        }
    }
}
