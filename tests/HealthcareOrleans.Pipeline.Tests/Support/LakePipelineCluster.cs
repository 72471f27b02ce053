using Confluent.Kafka;
using HealthcareOrleans.Contracts.Engine;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Lake;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Grains.Streaming;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Medallion.Lake;
using HealthcareOrleans.Medallion.SilverLake;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace HealthcareOrleans.Pipeline.Tests.Support;

/// <summary>
/// The pipeline as the silo host wires it with the lake on: embedded broker (fresh source id), two silos with the Kafka
/// provider, the grains and <c>AddPatientFlowLake</c> over a temporary folder, with short flush intervals.
/// </summary>
public sealed class LakePipelineCluster : IAsyncDisposable
{
    private bool _handedOver;

    private LakePipelineCluster(EmbeddedKafkaBroker broker, InProcessTestCluster cluster, string root, ILakeStorage storage)
    {
        Broker = broker;
        Cluster = cluster;
        Root = root;
        Storage = storage;
    }

    public EmbeddedKafkaBroker Broker { get; }

    public InProcessTestCluster Cluster { get; }

    /// <summary>The folder holding the lake (tables) and grain state.</summary>
    public string Root { get; }

    /// <summary>The storage the silos write the lake through (possibly a fault-injecting wrapper).</summary>
    public ILakeStorage Storage { get; }

    public string Topic => PatientFlowStreams.DefaultTopic;

    public IGrainFactory Grains => Cluster.Client;

    /// <param name="goldFlushInterval">The Gold flush timer (default 60 s, as configured by default).</param>
    /// <param name="durableCheckpoints">Keep stream checkpoints in files under the root (as the kafka profile does), so a
    /// restart resumes where the last run checkpointed instead of replaying the topic to the grains.</param>
    public static Task<LakePipelineCluster> StartAsync(Func<ILakeStorage, ILakeStorage>? wrapStorage = null, TimeSpan? goldFlushInterval = null, bool durableCheckpoints = false) =>
        StartAsync(wrapStorage, goldFlushInterval, durableCheckpoints, broker: null, root: null);

    /// <summary>Stops every silo (gracefully, or killed without their shutdown work) and starts new ones on the same broker, lake and state.</summary>
    public async Task<LakePipelineCluster> RestartAsync(bool gracefully, TimeSpan? goldFlushInterval = null, bool durableCheckpoints = false)
    {
        foreach (var silo in Cluster.Silos.ToList())
        {
            if (gracefully)
            {
                await Cluster.StopSiloAsync(silo);
            }
            else
            {
                await Cluster.KillSiloAsync(silo);
            }
        }

        await Cluster.DisposeAsync();
        _handedOver = true;
        return await StartAsync(null, goldFlushInterval, durableCheckpoints, Broker, Root);
    }

    private static async Task<LakePipelineCluster> StartAsync(
        Func<ILakeStorage, ILakeStorage>? wrapStorage, TimeSpan? goldFlushInterval, bool durableCheckpoints, EmbeddedKafkaBroker? broker, string? root)
    {
        broker ??= await EmbeddedKafkaBroker.StartAsync([PatientFlowStreams.DefaultTopic]);
        root ??= Directory.CreateTempSubdirectory("hc-lake-pipeline-").FullName;
        var lakeRoot = Path.Combine(root, "lake");
        var storage = new LocalLakeStorage(lakeRoot);
        var shared = wrapStorage?.Invoke(storage) ?? storage;
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPatientFlowGrains(HospitalLayout.Default, configure: o => o.StateWriteDelay = TimeSpan.FromMilliseconds(200));
            silo.AddLocalGrainStateLog(StorageNames.Patients, Path.Combine(root, "grains"), flushToDisk: false);
            silo.AddLocalGrainStateLog(StorageNames.Wards, Path.Combine(root, "grains"), flushToDisk: false);
            silo.AddKafkaPatientFlowStreams(kafka =>
            {
                kafka.BootstrapServers = broker.BootstrapServers;
                kafka.SourceId = broker.SourceId;
                kafka.CheckpointInterval = TimeSpan.FromMilliseconds(500);
                kafka.CheckpointDirectory = durableCheckpoints ? Path.Combine(root, "checkpoints") : null;
            });
            // One storage object for both silos, as one lake is shared by the cluster.
            silo.Services.AddSingleton(shared);
            silo.AddPatientFlowLake(lake =>
            {
                lake.Root = lakeRoot;
                lake.BronzeFlushInterval = TimeSpan.FromMilliseconds(300);
                lake.SilverFlushInterval = TimeSpan.FromMilliseconds(500);
                lake.FirstRetryDelay = TimeSpan.FromMilliseconds(100);
                lake.MaxRetryDelay = TimeSpan.FromSeconds(1);
                lake.GoldFlushInterval = goldFlushInterval ?? TimeSpan.FromSeconds(60);
            });
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new LakePipelineCluster(broker, cluster, root, shared);
    }

    public Task<List<BrokerRecord>> ProduceAsync(IEnumerable<(string? Key, byte[] Value)> messages) =>
        KafkaTestProducer.ProduceAsync(Broker.BootstrapServers, Topic, messages);

    /// <summary>(partition, offset) of every Bronze row, read through a reader of its own (not the silos' instances).</summary>
    public async Task<List<(int Partition, long Offset)>> BronzeOffsetsAsync()
    {
        var reader = new LocalLakeStorage(Path.Combine(Root, "lake"));
        if (!await new HealthcareOrleans.Lake.Log.DeltaLog(reader, BronzeTable.Path).ExistsAsync())
        {
            return [];
        }

        var table = await DeltaTable.OpenAsync(reader, BronzeTable.Path);
        var batch = await table.ReadAsync(columns: [BronzeTable.Source, BronzeTable.Partition, BronzeTable.Offset]);
        var sources = batch.Column<string?>(BronzeTable.Source);
        Assert.All(sources, s => Assert.Equal(Broker.SourceId, s));
        return [.. batch.Column<int?>(BronzeTable.Partition).Zip(batch.Column<long?>(BronzeTable.Offset), (p, o) => (p!.Value, o!.Value))];
    }

    /// <summary>Silver is caught up when both its tables record the latest Bronze version.</summary>
    public async Task<bool> SilverCaughtUpAsync()
    {
        var reader = new LocalLakeStorage(Path.Combine(Root, "lake"));
        foreach (var path in new[] { BronzeTable.Path, SilverEventsTable.Path, QuarantineTable.Path })
        {
            if (!await new HealthcareOrleans.Lake.Log.DeltaLog(reader, path).ExistsAsync())
            {
                return false;
            }
        }

        var bronze = await DeltaTable.OpenAsync(reader, BronzeTable.Path);
        var events = await DeltaTable.OpenAsync(reader, SilverEventsTable.Path);
        var quarantine = await DeltaTable.OpenAsync(reader, QuarantineTable.Path);
        return events.GetTransactionVersion(SilverEventsTable.ApplicationId) == bronze.Version
            && quarantine.GetTransactionVersion(SilverEventsTable.ApplicationId) == bronze.Version;
    }

    /// <summary>Waits until Bronze holds <paramref name="produced"/> records and Silver has processed all of Bronze.</summary>
    public async Task WaitForSilverAsync(int produced, TimeSpan timeout) =>
        await Eventually.TrueAsync(async () => (await BronzeOffsetsAsync()).Count >= produced && await SilverCaughtUpAsync(), timeout,
            async () => $"{(await BronzeOffsetsAsync()).Count} of {produced} in Bronze; Silver caught up: {await SilverCaughtUpAsync()}");

    /// <summary>Every record produced to this cluster's silos reached its grain: applied, found a duplicate or rejected.</summary>
    public async Task WaitForGrainsAsync(long records)
    {
        long processed = 0;
        await Eventually.TrueAsync(async () =>
        {
            var status = await Grains.GetGrain<IEngineStatusGrain>(0).GetAsync();
            processed = status.Silos.Sum(s => s.EventsApplied + s.EventsDuplicate + s.MessagesRejected);
            return processed >= records;
        }, TimeSpan.FromSeconds(90), () => Task.FromResult($"{processed} of {records} records reached their grains"));
    }

    /// <summary>The stream checkpoints (files, with <c>durableCheckpoints</c>) have passed <paramref name="records"/> records.</summary>
    public async Task WaitForCheckpointsAsync(long records)
    {
        long next = 0;
        await Eventually.TrueAsync(async () =>
        {
            var directory = Path.Combine(Root, "checkpoints");
            next = 0;
            foreach (var file in Directory.Exists(directory) ? Directory.GetFiles(directory, "*.offset") : [])
            {
                next += long.Parse((await File.ReadAllTextAsync(file)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }

            return next >= records;
        }, TimeSpan.FromSeconds(90), () => Task.FromResult($"checkpoints at {next} of {records}"));
    }

    public async Task<DeltaTable> OpenAsync(string path) =>
        await DeltaTable.OpenAsync(new LocalLakeStorage(Path.Combine(Root, "lake")), path);

    public async Task<IReadOnlyList<FlushStatus>> StatusAsync() => await Grains.GetGrain<ILakeStatusGrain>(0).GetAsync();

    public async ValueTask DisposeAsync()
    {
        if (_handedOver)
        {
            return;
        }

        await Cluster.DisposeAsync();
        await Broker.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
