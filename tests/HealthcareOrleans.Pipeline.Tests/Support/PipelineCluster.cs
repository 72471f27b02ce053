using Confluent.Kafka;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.Grains.Streaming;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Orleans.TestingHost;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// The real-time core as the silo host wires it, in process: the embedded broker, two silos with the Kafka stream
/// provider, the patient and ward grains, and grain state on local disk shared by both silos.
/// </summary>
public sealed class PipelineCluster : IAsyncDisposable
{
    private readonly string _stateDirectory;

    private PipelineCluster(EmbeddedKafkaBroker broker, InProcessTestCluster cluster, string topic, string stateDirectory)
    {
        Broker = broker;
        Cluster = cluster;
        Topic = topic;
        _stateDirectory = stateDirectory;
    }

    public EmbeddedKafkaBroker Broker { get; }

    public InProcessTestCluster Cluster { get; }

    public string Topic { get; }

    public IGrainFactory Grains => Cluster.Client;

    public static async Task<PipelineCluster> StartAsync(short silos = 2, TimeSpan? stateWriteDelay = null)
    {
        var topic = PatientFlowStreams.DefaultTopic;
        var broker = await EmbeddedKafkaBroker.StartAsync([topic]);
        var stateDirectory = Directory.CreateTempSubdirectory("hc-pipeline-").FullName;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o =>
            {
                o.StateWriteDelay = stateWriteDelay ?? TimeSpan.FromMilliseconds(200);
                o.WardOccupantCheckInterval = TimeSpan.FromSeconds(1);
            });
            silo.AddLocalGrainStateLog(StorageNames.Patients, stateDirectory, flushToDisk: false);
            silo.AddLocalGrainStateLog(StorageNames.Wards, stateDirectory, flushToDisk: false);
            silo.AddKafkaPatientFlowStreams(kafka =>
            {
                kafka.BootstrapServers = broker.BootstrapServers;
                kafka.Topic = topic;
                kafka.CheckpointInterval = TimeSpan.FromSeconds(1);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new PipelineCluster(broker, cluster, topic, stateDirectory);
    }

    public Task<List<BrokerRecord>> ProduceAsync(IEnumerable<(string? Key, byte[] Value)> messages) =>
        KafkaTestProducer.ProduceAsync(Broker.BootstrapServers, Topic, messages);

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(_stateDirectory, recursive: true);
    }
}
