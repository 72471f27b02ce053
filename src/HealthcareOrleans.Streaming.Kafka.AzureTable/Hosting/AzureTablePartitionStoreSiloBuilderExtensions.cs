using Azure.Data.Tables;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace HealthcareOrleans.Streaming.Kafka.AzureTable.Hosting;

public static class AzureTablePartitionStoreSiloBuilderExtensions
{
    /// <summary>
    /// Keeps the Kafka stream provider <paramref name="streamProviderName"/>'s checkpoints and partition leases in the
    /// Azure table <paramref name="table"/> gives (created on first use), scoped by the cluster's service id. The
    /// client is the host's to build, so that its credentials (a connection string, or a service URI with a token
    /// credential) and the table's name come from wherever the host keeps them.
    /// </summary>
    public static ISiloBuilder AddAzureTablePartitionStore(this ISiloBuilder silo, string streamProviderName, Func<IServiceProvider, TableClient> table)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamProviderName);
        ArgumentNullException.ThrowIfNull(table);
        silo.Services.AddKeyedSingleton<IPartitionCheckpointStore>(streamProviderName, (sp, _) => new AzureTablePartitionStore(
            table(sp),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            sp.GetService<TimeProvider>()));
        return silo;
    }
}
