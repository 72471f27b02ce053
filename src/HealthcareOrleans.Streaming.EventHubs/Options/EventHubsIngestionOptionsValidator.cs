using HealthcareOrleans.Streaming.EventHubs.Providers;
using Orleans;
using Orleans.Runtime;

namespace HealthcareOrleans.Streaming.EventHubs.Options;

/// <summary>Stops the silo at start when the Event Hubs ingestion cannot work, saying which setting to fix.</summary>
public sealed class EventHubsIngestionOptionsValidator(EventHubsIngestionOptions options, string providerName) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var errors = Problems(options).ToList();
        if (errors.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"Event Hubs stream provider '{providerName}' is not configured: {string.Join(" ", errors)}");
        }
    }

    /// <summary>Each problem as a sentence that names the setting to fix.</summary>
    public static IEnumerable<string> Problems(EventHubsIngestionOptions options)
    {
        var section = EventHubsIngestionOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.ConnectionString) && string.IsNullOrWhiteSpace(options.FullyQualifiedNamespace))
        {
            yield return $"{section}:FullyQualifiedNamespace is empty. Set it to the namespace host (e.g. contoso.servicebus.windows.net, read with DefaultAzureCredential), or set {section}:ConnectionString.";
        }

        if (string.IsNullOrWhiteSpace(options.EventHub))
        {
            yield return $"{section}:EventHub is empty. Set it to the event hub the producers write to (e.g. patient-flow).";
        }

        if (string.IsNullOrWhiteSpace(options.ConsumerGroup))
        {
            yield return $"{section}:ConsumerGroup is empty. Set it to a consumer group of the hub reserved for this cluster ($Default only if nothing else reads the hub).";
        }

        if (options.PartitionIds is not { Count: > 0 } && options.PartitionCount is not > 0)
        {
            yield return $"{section}:PartitionCount is not set. Set it to the hub's partition count (portal: the hub's Overview, or `az eventhubs eventhub show --query partitionCount`), or list {section}:PartitionIds.";
        }
        else
        {
            string? mappingError = null;
            try
            {
                PartitionNumbers.Parse(options.ResolvePartitionIds());
            }
            catch (FormatException exception)
            {
                mappingError = exception.Message;
            }

            if (mappingError is not null)
            {
                yield return mappingError;
            }
        }

        if (string.IsNullOrWhiteSpace(options.CheckpointTableConnectionString) && options.CheckpointTableServiceUri is null)
        {
            yield return $"{section}:CheckpointTableConnectionString is empty. Set it to the storage account that keeps the stream checkpoints (UseDevelopmentStorage=true for Azurite), or set {section}:CheckpointTableServiceUri (read with DefaultAzureCredential).";
        }

        if (options.CheckpointPersistInterval <= TimeSpan.Zero)
        {
            yield return $"{section}:CheckpointPersistInterval must be positive (e.g. 00:00:10).";
        }
    }
}
