namespace HealthcareOrleans.Silo.Configuration;

/// <summary>
/// The storage account of <c>Profile=azure</c> (section <c>AzureStorage</c>): Orleans membership, reminders and the
/// stream checkpoints in its Table service, grain state in its Blob service, and, unless the <c>Lake</c> section names
/// another, the lake. Either a connection string (Azurite, tests) or the two service URIs, which the silo reaches
/// with <c>DefaultAzureCredential</c> (the workload identity in AKS), so that no key sits in a manifest.
/// </summary>
public sealed class AzureStorageOptions
{
    public const string Section = "AzureStorage";

    public string? ConnectionString { get; set; }

    /// <summary><c>https://&lt;account&gt;.blob.core.windows.net</c>: grain state and the lake.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary><c>https://&lt;account&gt;.table.core.windows.net</c>: membership, reminders and stream checkpoints.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Orleans' membership table; rows are keyed by service and cluster id, so deployments may share it.</summary>
    public string ClusteringTable { get; set; } = "OrleansSiloInstances";

    /// <summary>Orleans' reminder table; rows are keyed by service id, so deployments may share it.</summary>
    public string ReminderTable { get; set; } = "OrleansReminders";

    /// <summary>The Kafka provider's checkpoints and partition leases; rows are keyed by service id.</summary>
    public string StreamCheckpointTable { get; set; } = "StreamCheckpoints";

    /// <summary>
    /// Patient and ward state, one blob per grain. Blob names carry the grain's type and id but not the service id:
    /// two deployments in one account need two containers.
    /// </summary>
    public string GrainStateContainer { get; set; } = "grainstate";

    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);
}
