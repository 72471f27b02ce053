using Confluent.Kafka;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Streaming.Kafka.Hosting;
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

    public static async Task<PipelineCluster> StartAsync(short silos = 2)
    {
        var topic = PatientFlowStreams.DefaultTopic;
        var broker = await EmbeddedKafkaBroker.StartAsync([topic]);
        var stateDirectory = Directory.CreateTempSubdirectory("hc-pipeline-").FullName;
        var builder = new InProcessTestClusterBuilder(silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o => o.StateWriteDelay = TimeSpan.FromMilliseconds(200));
            silo.AddLocalFileGrainStorage(StorageNames.Patients, stateDirectory, flushToDisk: false);
            silo.AddLocalFileGrainStorage(StorageNames.Wards, stateDirectory, flushToDisk: false);
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

    /// <summary>Produces each message and returns it as the broker stored it: partition, offset and append time.</summary>
    public async Task<List<BrokerRecord>> ProduceAsync(IEnumerable<(string? Key, byte[] Value)> messages)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = Broker.BootstrapServers, LingerMs = 2, EnableIdempotence = true }).Build();
        // The append time is stamped here, in whole milliseconds as Kafka keeps it, so the reference knows it: the
        // broker stores a producer's create time and the receivers hand it on.
        var stamp = DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var sent = messages.Select(m => producer.ProduceAsync(Topic, new Message<string?, byte[]>
        {
            Key = m.Key,
            Value = m.Value,
            Timestamp = new Timestamp(stamp, TimestampType.CreateTime),
        })).ToList();
        var results = await Task.WhenAll(sent);
        return [.. results.Select(r => new BrokerRecord(Topic, r.Partition.Value, r.Offset.Value, stamp, r.Message.Key, r.Message.Value))];
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(_stateDirectory, recursive: true);
    }
}
