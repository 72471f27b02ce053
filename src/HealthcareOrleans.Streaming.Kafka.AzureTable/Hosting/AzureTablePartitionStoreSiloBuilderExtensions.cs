using Azure.Data.Tables;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace HealthcareOrleans.Streaming.Kafka.AzureTable.Hosting;

public static class AzureTablePartitionStoreSiloBuilderExtensions
{
    /// <summary>Where the rows go when no table is named: one table per storage account serves every deployment.</summary>
    public const string DefaultTableName = "StreamCheckpoints";

    /// <summary>
    /// Keeps the Kafka stream provider <paramref name="streamProviderName"/>'s checkpoints and partition leases in the
    /// Azure table <paramref name="tableName"/> (created on first use), scoped by the cluster's service id. The client
    /// comes from <paramref name="tableService"/> so that its credentials (a connection string, or a service URI with
    /// a token credential) are the host's choice.
    /// </summary>
    public static ISiloBuilder AddAzureTablePartitionStore(
        this ISiloBuilder silo,
        string streamProviderName,
        Func<IServiceProvider, TableServiceClient> tableService,
        string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamProviderName);
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        silo.Services.AddKeyedSingleton<IPartitionCheckpointStore>(streamProviderName, (sp, _) => new AzureTablePartitionStore(
            tableService(sp).GetTableClient(tableName),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetService<TimeProvider>()));
        return silo;
    }
}
