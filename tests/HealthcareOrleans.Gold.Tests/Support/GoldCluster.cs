using Confluent.Kafka;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Grains.Streaming;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Gold;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace HealthcareOrleans.Gold.Tests.Support;

/// <summary>
/// The real-time core as the silo host wires it (embedded broker, two silos, Kafka stream provider, patient and ward
/// grains, state on local disk) plus the Gold layer, writing to a lake folder of its own.
/// </summary>
internal sealed class GoldCluster : IAsyncDisposable
{
    private readonly string _directory;

    private GoldCluster(EmbeddedKafkaBroker broker, InProcessTestCluster cluster, string directory, ILakeStorage lake)
    {
        Broker = broker;
        Cluster = cluster;
        _directory = directory;
        Lake = lake;
    }

    public EmbeddedKafkaBroker Broker { get; }

    public InProcessTestCluster Cluster { get; }

    public ILakeStorage Lake { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<GoldCluster> StartAsync(short silos = 2)
    {
        var broker = await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        var directory = Directory.CreateTempSubdirectory("hc-gold-").FullName;
        var lake = new LocalLakeStorage(Path.Combine(directory, "lake"));
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o => o.StateWriteDelay = TimeSpan.FromMilliseconds(200));
            silo.AddLocalGrainStateLog(StorageNames.Patients, Path.Combine(directory, "state"), flushToDisk: false);
            silo.AddLocalGrainStateLog(StorageNames.Wards, Path.Combine(directory, "state"), flushToDisk: false);
            silo.AddKafkaPatientFlowStreams(kafka =>
            {
                kafka.BootstrapServers = broker.BootstrapServers;
                kafka.Topic = PatientFlowStreams.DefaultTopic;
                kafka.CheckpointInterval = TimeSpan.FromSeconds(1);
            });
            silo.AddGoldLayer();
            silo.Services.AddSingleton<ILakeStorage>(lake);
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new GoldCluster(broker, cluster, directory, lake);
    }

    /// <summary>Runs one Gold flush inside a silo, as the layer's flush grain would.</summary>
    public Task FlushGoldAsync() => Grains.GetGrain<IGoldFlushProbeGrain>(0).FlushAsync();

    /// <summary>Produces each message and returns it as the broker stored it: partition, offset and append time.</summary>
    public Task<List<BrokerRecord>> ProduceAsync(IEnumerable<(string? Key, byte[] Value)> messages) =>
        KafkaTestProducer.ProduceAsync(Broker.BootstrapServers, PatientFlowStreams.DefaultTopic, messages);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

public interface IGoldFlushProbeGrain : IGrainWithIntegerKey
{
    Task FlushAsync();
}

/// <summary>Hosts a <see cref="GoldFlusher"/> the way the lake flush grain does: one per activation, one call at a time.</summary>
public sealed class GoldFlushProbeGrain(IServiceProvider services) : Grain, IGoldFlushProbeGrain
{
    private GoldFlusher? _flusher;

    public async Task FlushAsync()
    {
        _flusher ??= ActivatorUtilities.CreateInstance<GoldFlusher>(services);
        await _flusher.FlushAsync(CancellationToken.None);
    }
}
