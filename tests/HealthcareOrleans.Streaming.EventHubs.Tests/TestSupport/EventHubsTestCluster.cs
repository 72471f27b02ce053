using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Streaming.EventHubs.Hosting;
using HealthcareOrleans.Streaming.EventHubs.Providers;
using HealthcareOrleans.Streaming.EventHubs.Testing;
using HealthcareOrleans.Streaming.Kafka.Tap;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HealthcareOrleans.Streaming.EventHubs.Tests.TestSupport;

/// <summary>
/// One silo as the host wires the AMQP ingestion — <c>AddEventHubsPatientFlowStreams</c>, the real Bronze writer on a
/// folder as its record sink, checkpoints in an Azurite table — with the hub partitions served by generator receivers.
/// </summary>
public sealed class EventHubsTestCluster : IAsyncDisposable
{
    public const string Hub = "patient-flow";

    private EventHubsTestCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    /// <param name="serviceId">Names the checkpoint rows; the same value across a restart finds the same checkpoints.</param>
    public static async Task<EventHubsTestCluster> StartAsync(
        IReadOnlyList<InMemoryHubPartition> hub, string lakeRoot, string tableConnectionString, string checkpointTable, string sourceId, string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<ILakeStorage>(new LocalLakeStorage(lakeRoot));
            silo.Services.AddOptions<LakeOptions>().Configure(o => o.Root = lakeRoot);
            silo.Services.AddSingleton<BronzeWriter>();
            silo.Services.AddKeyedSingleton<IReceivedRecordSink>(PatientFlowStreams.ProviderName, (sp, _) => sp.GetRequiredService<BronzeWriter>());
            silo.Services.AddHostedService<BronzeFlushLoop>();
            silo.AddEventHubsPatientFlowStreams(options =>
            {
                // Syntactically a connection string; nothing connects to it (the generator receivers replace AMQP).
                options.ConnectionString = "Endpoint=sb://no-amqp-endpoint.invalid/;SharedAccessKeyName=tests;SharedAccessKey=tests";
                options.EventHub = Hub;
                options.ConsumerGroup = "hc-tests";
                options.PartitionCount = hub.Count;
                options.SourceId = sourceId;
                options.CheckpointTableConnectionString = tableConnectionString;
                options.CheckpointTableName = checkpointTable;
                options.CheckpointPersistInterval = TimeSpan.FromMilliseconds(200);
            });
            silo.Services.AddKeyedSingleton<IEventHubPartitionReceivers>(PatientFlowStreams.ProviderName, new GeneratorPartitionReceivers(hub));
            // Reads of the test hub are 100 ms of hub time per event apart: purge what is 2 s older than the newest
            // after 1 s in the cache, so delivery progress (and the checkpoints) move while the test runs.
            silo.Services.Configure<StreamCacheEvictionOptions>(PatientFlowStreams.ProviderName, o =>
            {
                o.DataMinTimeInCache = TimeSpan.FromSeconds(1);
                o.DataMaxAgeInCache = TimeSpan.FromSeconds(2);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new EventHubsTestCluster(cluster);
    }

    /// <summary>Stops the silo the way a rolling deployment does: receivers shut down and write their final checkpoints.</summary>
    public async Task StopGracefullyAsync()
    {
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.StopSiloAsync(silo);
        }
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
