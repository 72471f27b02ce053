using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Silo.Cluster;
using HealthcareOrleans.Silo.Configuration;
using HealthcareOrleans.Streaming.Kafka.AzureTable.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HealthcareOrleans.Silo.Hosting;

/// <summary>
/// <c>Profile=azure</c>: the cluster's state in one Azure Storage account through Orleans' own providers (section
/// <c>AzureStorage</c>, validated at start). Ingestion stays the Kafka provider (Event Hubs' Kafka endpoint or any
/// Kafka), whose checkpoints and partition leases go to the account's Table service instead of Redis.
/// </summary>
public static class AzureProfile
{
    /// <summary>
    /// Membership in Azure Table (<c>UseAzureStorageClustering</c>), patient and ward state in Azure Blob
    /// (<c>AddAzureBlobGrainStorage</c>), reminders in Azure Table (<c>UseAzureTableReminderService</c>), the Kafka
    /// provider's checkpoints and leases in Azure Table.
    /// </summary>
    /// <remarks>
    /// Blob, not Table, for grain state: a patient's state holds its whole timeline and SCD2 history and grows with
    /// each stay, while a Table entity is capped at 1 MiB (64 KiB per property, which Orleans' table provider splits
    /// state across); a blob has no such cap and is written with the same ETag concurrency.
    /// The reminder service is there for the platform rather than for today's grains: the flush grains run on grain
    /// timers, which need none, but a grain that must wake after its silo died (a timer dies with its activation) can
    /// register a reminder in this profile without a deployment change. Orleans reads the table when a silo starts and
    /// then every few minutes, so an empty table costs next to nothing.
    /// </remarks>
    public static ISiloBuilder UseAzureStorage(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var services = silo.Services;
        var redisConfigured = !string.IsNullOrWhiteSpace(configuration["Redis:ConnectionString"]);
        services.AddOptions<AzureStorageOptions>().Bind(configuration.GetSection(AzureStorageOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureStorageOptions>>(new AzureStorageOptionsValidator(redisConfigured)));
        services.TryAddSingleton<AzureStorageClients>();

        silo.UseAzureStorageClustering(clustering => clustering.Configure<AzureStorageClients, IOptions<AzureStorageOptions>>((o, clients, azure) =>
        {
            o.TableServiceClient = clients.Tables;
            o.TableName = azure.Value.ClusteringTable;
        }));
        silo.UseAzureTableReminderService(reminders => reminders.Configure<AzureStorageClients, IOptions<AzureStorageOptions>>((o, clients, azure) =>
        {
            o.TableServiceClient = clients.Tables;
            o.TableName = azure.Value.ReminderTable;
        }));
        foreach (var storage in new[] { StorageNames.Patients, StorageNames.Wards })
        {
            silo.AddAzureBlobGrainStorage(storage, blob => blob.Configure<AzureStorageClients, IOptions<AzureStorageOptions>>((o, clients, azure) =>
            {
                o.BlobServiceClient = clients.Blobs;
                o.ContainerName = azure.Value.GrainStateContainer;
            }));
        }

        silo.AddAzureTablePartitionStore(PatientFlowStreams.ProviderName, sp =>
            sp.GetRequiredService<AzureStorageClients>().Tables.GetTableClient(sp.GetRequiredService<IOptions<AzureStorageOptions>>().Value.StreamCheckpointTable));
        return silo;
    }

    /// <summary>
    /// The lake's place when the <c>Lake</c> section names none (no connection string, service URI or folder): the
    /// profile's own account (ADLS Gen2 serves the Blob API the lake writes through), by the same connection string or
    /// Blob service URI.
    /// </summary>
    public static void DefaultLakeToAccount(Medallion.Lake.LakeOptions lake, AzureStorageOptions azure)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(azure);
        if (!string.IsNullOrWhiteSpace(lake.ConnectionString) || lake.ServiceUri is not null || !string.IsNullOrWhiteSpace(lake.Root))
        {
            return;
        }

        if (azure.UsesConnectionString)
        {
            lake.ConnectionString = azure.ConnectionString;
        }
        else
        {
            lake.ServiceUri = azure.BlobServiceUri;
        }
    }
}
