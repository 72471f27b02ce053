namespace HealthcareOrleans.Streaming.EventHubs.Options;

/// <summary>
/// Where the patient-flow events are read from over AMQP, and where the read positions are kept. Bound from the
/// <c>EventHubs</c> configuration section by the silo; checked at start by <see cref="EventHubsIngestionOptionsValidator"/>.
/// </summary>
public sealed class EventHubsIngestionOptions
{
    public const string SectionName = "EventHubs";

    /// <summary>The namespace host, e.g. <c>contoso.servicebus.windows.net</c>; read with DefaultAzureCredential (workload identity in AKS). Or set <see cref="ConnectionString"/>.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>A namespace or hub connection string (shared access key). Takes precedence over <see cref="FullyQualifiedNamespace"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The event hub (Kafka: the topic) the producers write to.</summary>
    public string? EventHub { get; set; }

    /// <summary>Every silo of the cluster reads as this consumer group; give each cluster its own.</summary>
    public string? ConsumerGroup { get; set; }

    /// <summary>The hub's partition count (fixed at creation on the Basic and Standard tiers); partition ids are then "0" to count − 1.</summary>
    public int? PartitionCount { get; set; }

    /// <summary>Explicit partition ids instead of <see cref="PartitionCount"/>: each must be a partition number ("0", "1", …).</summary>
    public IList<string>? PartitionIds { get; set; }

    /// <summary>Names the log incarnation in Bronze's per-partition positions; default <c>eventhubs:&lt;namespace&gt;</c>. Change it when the hub is re-created, since its sequence numbers start again.</summary>
    public string? SourceId { get; set; }

    /// <summary>With no checkpoint and nothing in Bronze: read the partition from its oldest retained event (default) or only what arrives from now on.</summary>
    public bool StartFromNow { get; set; }

    /// <summary>The stream checkpoints' Azure Table: a storage connection string (Azurite, tests). Or set <see cref="CheckpointTableServiceUri"/>.</summary>
    public string? CheckpointTableConnectionString { get; set; }

    /// <summary>The table service URI, e.g. <c>https://account.table.core.windows.net</c>; read with DefaultAzureCredential.</summary>
    public Uri? CheckpointTableServiceUri { get; set; }

    public string CheckpointTableName { get; set; } = "PatientFlowCheckpoints";

    /// <summary>How often a partition's position is written; a restart re-reads at most this much (consumers deduplicate).</summary>
    public TimeSpan CheckpointPersistInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The partition ids to read, from <see cref="PartitionIds"/> or <see cref="PartitionCount"/>.</summary>
    public IReadOnlyList<string> ResolvePartitionIds()
    {
        if (PartitionIds is { Count: > 0 } ids)
        {
            return [.. ids];
        }

        return PartitionCount is { } count and > 0
            ? [.. Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))]
            : [];
    }

    /// <summary>The namespace host, from <see cref="FullyQualifiedNamespace"/> or the connection string's <c>Endpoint</c>.</summary>
    public string? NamespaceHost()
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            foreach (var part in ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0 && part[..equals].Equals("Endpoint", StringComparison.OrdinalIgnoreCase)
                    && Uri.TryCreate(part[(equals + 1)..], UriKind.Absolute, out var endpoint))
                {
                    return endpoint.Host;
                }
            }
        }

        return string.IsNullOrWhiteSpace(FullyQualifiedNamespace) ? null : FullyQualifiedNamespace.Trim();
    }

    public string ResolveSourceId() =>
        !string.IsNullOrWhiteSpace(SourceId) ? SourceId : "eventhubs:" + (NamespaceHost() ?? "unknown");
}
