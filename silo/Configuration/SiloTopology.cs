using System.Net;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Grains;
using HealthcareOrleans.Grains.Hosting;
using HealthcareOrleans.Persistence.GrainStateLog;
using HealthcareOrleans.Silo.Cluster;
using HealthcareOrleans.Silo.Hosting;
using HealthcareOrleans.Streaming.Kafka.Checkpointing;
using Orleans.Configuration;
using StackExchange.Redis;

namespace HealthcareOrleans.Silo.Configuration;

/// <summary>
/// How the silo finds its peers and where grain state lives. <c>Profile=azure</c>: membership, grain state and stream
/// checkpoints in Azure Storage (<see cref="AzureProfile"/>). Otherwise, without Redis: one silo on localhost with state
/// on local disk (the embedded profile); with <c>Redis:ConnectionString</c>: membership and grain state in Redis (and
/// the stream checkpoints, so a partition's next owner resumes where the last stopped). A cluster's endpoints are as
/// Orleans' Kubernetes guidance has them (advertise the pod IP, listen on any address).
/// </summary>
public static class SiloTopology
{
    public static void Configure(ISiloBuilder silo, EngineSettings engine, IConfiguration configuration)
    {
        if (engine.Profile == EngineProfile.Azure)
        {
            ConfigureClusterMember(silo, engine, configuration);
            silo.UseAzureStorage(configuration);
            return;
        }

        var redis = configuration["Redis:ConnectionString"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            silo.UseSingleLocalSilo(engine.SiloPort, engine.GatewayPort, engine.ServiceId, engine.ClusterId);
            silo.AddLocalGrainStateLog(StorageNames.Patients, engine.GrainStateDirectory);
            silo.AddLocalGrainStateLog(StorageNames.Wards, engine.GrainStateDirectory);
            return;
        }

        ConfigureClusterMember(silo, engine, configuration);
        silo.UseRedisClustering(redis);
        silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        silo.Services.AddKeyedSingleton<IPartitionCheckpointStore>(PatientFlowStreams.ProviderName,
            (sp, _) => new RedisPartitionCheckpointStore(sp.GetRequiredService<IConnectionMultiplexer>(), engine.ServiceId));
        silo.AddRedisGrainStorage(StorageNames.Patients, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        silo.AddRedisGrainStorage(StorageNames.Wards, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
    }

    /// <summary>What every multi-silo cluster shares, whatever keeps its membership: ids, endpoints, name, directory.</summary>
    private static void ConfigureClusterMember(ISiloBuilder silo, EngineSettings engine, IConfiguration configuration)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = engine.ClusterId;
            o.ServiceId = engine.ServiceId;
        });
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = AdvertisedAddress(configuration["Orleans:AdvertisedIPAddress"]);
            o.SiloPort = engine.SiloPort;
            o.GatewayPort = engine.GatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, engine.SiloPort);
            o.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, engine.GatewayPort);
        });
        if (configuration["Orleans:SiloName"] is { Length: > 0 } siloName)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = siloName);
        }

        // Failure detection stays at Orleans' defaults (probe timeout 5 s, adapted per peer between half and four times
        // that; 3 missed probes; 2 votes; votes expire after 2 min). A killed silo is declared dead in ~10 s, and its
        // partitions move then: the partition leases of a dead silo are taken over at once. Tighter probes would save a
        // few seconds but declare healthy silos dead during the multi-second GC pauses and CPU starvation seen at load
        // on 2 cores, and each false death costs a full re-own and redelivery; the same holds on a busy AKS node.
        // At most one activation per grain, even while a dead silo's share of the directory moves: the default
        // directory may briefly run two copies of a ward, and the copy whose writes lose takes its updates with it.
        // Marked for evaluation in Orleans 10 (ORLEANSEXP003); the default directory's duplicates are the worse risk here.
#pragma warning disable ORLEANSEXP003
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
    }

    private static IPAddress AdvertisedAddress(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return IPAddress.TryParse(configured, out var address)
                ? address
                : throw new InvalidOperationException($"Orleans:AdvertisedIPAddress '{configured}' is not an IP address. On Kubernetes set it from the pod's status.podIP.");
        }

        // Outside Kubernetes: the first non-loopback IPv4 address of this host, else loopback (one machine).
        return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
