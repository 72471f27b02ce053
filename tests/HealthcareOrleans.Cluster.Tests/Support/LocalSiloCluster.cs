using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;
using HealthcareOrleans.Contracts.Hospital;
using HealthcareOrleans.Contracts.Streaming;
using HealthcareOrleans.Contracts.Wards;
using HealthcareOrleans.Medallion.Bronze;
using HealthcareOrleans.Lake;
using HealthcareOrleans.Lake.Storage;
using HealthcareOrleans.LocalCluster;
using HealthcareOrleans.Simulation;
using HealthcareOrleans.Simulation.Faults;
using HealthcareOrleans.Streaming.Kafka.Embedded;
using HealthcareOrleans.Testing;
using StackExchange.Redis;

namespace HealthcareOrleans.Cluster.Tests.Support;

/// <summary>
/// A real cluster on 127.0.0.1: redis-server, the embedded broker (hosted in the test process), and silo processes
/// (Profile=kafka, Redis membership/state/checkpoints, one shared lake folder), as the README's recipe runs it. Given
/// an Azure Storage account (Azurite), the silos run Profile=azure instead: membership, grain state and stream
/// checkpoints in that account under a service id and container of their own, no Redis.
/// </summary>
public sealed partial class LocalSiloCluster : IAsyncDisposable
{
    public const string Topic = PatientFlowStreams.DefaultTopic;
    public const int Partitions = EmbeddedKafkaBroker.DefaultPartitions;
    private const string ApiKey = "cluster-test-api-key";
    private const string ProviderName = PatientFlowStreams.ProviderName;

    // Far enough back that every event of the run lies in the past: the simulator never releases a future event.
    private static readonly DateTimeOffset SimulationStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Action<string> _progress;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _clusterId = "cluster-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string? _azureStorage;
    private RedisServer? _redis;
    private ConnectionMultiplexer? _redisClient;
    private EmbeddedKafkaBroker? _broker;

    private LocalSiloCluster(string root, Action<string> progress, string? azureStorage)
    {
        Root = root;
        _progress = progress;
        _azureStorage = azureStorage;
        _http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
    }

    public string Root { get; }

    public List<SiloProcess> Silos { get; } = [];

    public EmbeddedKafkaBroker Broker => _broker ?? throw new InvalidOperationException("not started");

    public sealed class SiloProcess(string name, int httpPort, int mllpPort, ProcessStartInfo start, string logFile)
    {
        public string Name { get; } = name;

        public int HttpPort { get; } = httpPort;

        /// <summary>The silo's HL7 v2 MLLP listener (Hl7:MllpPort).</summary>
        public int MllpPort { get; } = mllpPort;

        public ChildProcess Process { get; private set; } = new(name, start, logFile);

        public int Starts { get; private set; } = 1;

        public Uri Url(string path) => new($"http://127.0.0.1:{HttpPort}{path}");

        /// <summary>Every log file this silo wrote, one per start.</summary>
        public IEnumerable<string> LogFiles => Enumerable.Range(1, Starts).Select(i => i == 1 ? logFile : logFile + "." + i.ToString(CultureInfo.InvariantCulture));

        /// <summary>Starts the same silo again (same name, ports and data folder), as a restarted pod would.</summary>
        public void Restart()
        {
            Process.Dispose();
            Starts++;
            Process = new ChildProcess(Name, start, logFile + "." + Starts.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <param name="azureStorage">An Azure Storage connection string for Profile=azure silos; null for Redis.</param>
    public static async Task<LocalSiloCluster> StartAsync(int siloCount, Action<string> progress, string? azureStorage = null)
    {
        var cluster = new LocalSiloCluster(Directory.CreateTempSubdirectory("hc-cluster-").FullName, progress, azureStorage);
        try
        {
            await cluster.StartProcessesAsync(siloCount);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessesAsync(int siloCount)
    {
        var siloDll = RepositoryBuild.SiloDll;
        if (_azureStorage is null)
        {
            _redis = await RedisServer.StartAsync(Root, persistent: false);
            _redisClient = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
            Progress($"redis-server up on {_redis.Port}");
        }
        else
        {
            Progress($"Azure Storage (Profile=azure): service id {_clusterId}, grain state in container {GrainStateContainer}");
        }

        _broker = await EmbeddedKafkaBroker.StartAsync([Topic]);
        Progress($"broker up on {_broker.BootstrapServers}");
        for (var i = 0; i < siloCount; i++)
        {
            Silos.Add(CreateSilo($"silo-{i}", siloDll));
        }

        await WaitUntilReadyAsync(Silos);
        await Eventually.TrueAsync(async () => await StatusAsync(Silos) is { } s && s.Reports.Count == siloCount && s.Covered.Count == Partitions,
            TimeSpan.FromSeconds(60), async () => $"status: {(await StatusAsync(Silos))?.Raw}");
        Progress($"{siloCount} silos ready, every partition owned");
    }

    private SiloProcess CreateSilo(string name, string siloDll)
    {
        var mllpPort = LoopbackPorts.Free();
        var launch = new SiloLaunch
        {
            SiloDll = siloDll,
            Name = name,
            HttpPort = LoopbackPorts.Free(),
            SiloPort = LoopbackPorts.Free(),
            GatewayPort = LoopbackPorts.Free(),
            BootstrapServers = Broker.BootstrapServers,
            SourceId = Broker.SourceId,
            RedisConnectionString = _redis?.ConnectionString,
            AzureStorageConnectionString = _azureStorage,
            LakeRoot = Path.Combine(Root, "lake"),
            DataDirectory = Path.Combine(Root, name),
            ApiKey = ApiKey,
            PseudonymKey = "cluster-test-pseudonym-key-0123456789abcdef0123456789",
            Settings = new Dictionary<string, string>
            {
                ["Kafka__Topic"] = Topic,
                ["Lake__BronzeFlushInterval"] = "00:00:01",
                ["Orleans__ClusterId"] = _clusterId,
                ["Hl7__MllpPort"] = mllpPort.ToString(CultureInfo.InvariantCulture),
                ["Hl7__MaxFrameBytes"] = "65536",
                ["Warehouse__Kind"] = "None",
                ["Logging__LogLevel__Default"] = "Warning",
                // The handover steps are what the rolling-restart test reads back from the logs when it fails.
                ["Logging__LogLevel__HealthcareOrleans.Streaming.Kafka"] = "Information",
                ["Logging__Console__FormatterName"] = "simple",
                ["Logging__Console__FormatterOptions__SingleLine"] = "true",
                ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
                ["Logging__Console__FormatterOptions__TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fff ",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                // Three hosts share two cores: workstation GC keeps each one small.
                ["DOTNET_gcServer"] = "0",
            },
        };
        if (_azureStorage is not null)
        {
            // One account serves every test run: a service id and a container of this cluster's own keep runs apart.
            launch = launch with
            {
                Settings = new Dictionary<string, string>(launch.Settings)
                {
                    ["Orleans__ServiceId"] = _clusterId,
                    ["AzureStorage__GrainStateContainer"] = GrainStateContainer,
                },
            };
        }

        return new SiloProcess(name, launch.HttpPort, mllpPort, launch.StartInfo(), Path.Combine(Root, name + ".log"));
    }

    public async Task WaitUntilReadyAsync(IEnumerable<SiloProcess> silos)
    {
        var waiting = silos.ToList();
        await Eventually.TrueAsync(async () =>
        {
            foreach (var silo in waiting)
            {
                if (silo.Process.HasExited)
                {
                    Assert.Fail($"{silo.Name} exited during start-up:\n{silo.Process.Tail}");
                }

                if (!await IsReadyAsync(silo))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(90), () => Task.FromResult("silos not ready:\n" + string.Join("\n---\n", waiting.Select(s => $"{s.Name}: {s.Process.Tail}"))));
    }

    public IEnumerable<SiloProcess> Running => Silos.Where(s => !s.Process.HasExited);

    private string GrainStateContainer => _clusterId;

    public static async Task<List<SimulatedMessage>> GenerateAsync(int count, int seed)
    {
        var simulator = new PatientFlowSimulator(new SimulationOptions { Seed = seed, Start = SimulationStart, Count = count, Faults = FaultInjectionOptions.None });
        List<SimulatedMessage> messages = new(count);
        await foreach (var message in simulator.GenerateAsync())
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>
    /// Produces <paramref name="messages"/> at a steady rate, calling <paramref name="between"/> (with the count sent so
    /// far) every 20 ms so a test can act mid-stream. Returns the records as the silos see them (offset, CreateTime).
    /// </summary>
    public async Task<List<BrokerRecord>> ProduceAtRateAsync(IReadOnlyList<SimulatedMessage> messages, int eventsPerSecond, Func<int, Task> between)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            CompressionType = CompressionType.Gzip,
            LingerMs = 20,
            EnableIdempotence = true,
        }).Build();

        var sent = new List<Task<DeliveryResult<string?, byte[]>>>(messages.Count);
        // The CreateTime each message carries (the silos see it as the broker's append time); the reference needs the same.
        var stamps = new List<DateTime>(messages.Count);
        var clock = Stopwatch.StartNew();
        var nextProgress = 10_000;
        while (sent.Count < messages.Count)
        {
            var due = Math.Min(messages.Count, (int)(clock.Elapsed.TotalSeconds * eventsPerSecond) + 1);
            while (sent.Count < due)
            {
                var message = messages[sent.Count];
                var stamp = DateTime.UnixEpoch.AddMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                stamps.Add(stamp);
                sent.Add(producer.ProduceAsync(Topic, new Message<string?, byte[]>
                {
                    Key = message.Key,
                    Value = message.Value,
                    Timestamp = new Timestamp(stamp, TimestampType.CreateTime),
                }));
            }

            if (sent.Count >= nextProgress)
            {
                Progress($"sent {sent.Count}");
                nextProgress += 10_000;
            }

            await between(sent.Count);
            await Task.Delay(20);
        }

        var results = await Task.WhenAll(sent);
        producer.Flush(TimeSpan.FromSeconds(10));
        Progress($"produced {results.Length} events in {clock.Elapsed.TotalSeconds:0.0} s ({results.Length / clock.Elapsed.TotalSeconds:0} events/s, gzip)");
        return [.. results.Select((r, i) => new BrokerRecord(Topic, r.Partition.Value, r.Offset.Value, stamps[i], r.Message.Key, r.Message.Value))];
    }

    public Task<bool> IsReadyAsync(SiloProcess silo) => SiloHealth.IsReadyAsync(_http, silo.Url("/"));

    public sealed record PartitionReport(int Partition, long NextOffset, long HighWatermark, long? StartedAt);

    public sealed record SiloReport(string Silo, List<PartitionReport> Partitions);

    public sealed record Status(long Lag, List<SiloReport> Reports, string Raw)
    {
        public HashSet<int> Covered => [.. Reports.SelectMany(r => r.Partitions).Select(p => p.Partition)];
    }

    /// <summary>/api/status from the first silo that answers; null when none does.</summary>
    public async Task<Status?> StatusAsync(IEnumerable<SiloProcess> silos)
    {
        foreach (var silo in silos.Where(s => !s.Process.HasExited))
        {
            try
            {
                var json = await _http.GetFromJsonAsync<JsonElement>(silo.Url("/api/status"));
                var reports = json.GetProperty("silos").EnumerateArray().Select(s => new SiloReport(
                    s.GetProperty("silo").GetString()!,
                    [.. s.GetProperty("partitions").EnumerateArray().Select(p => new PartitionReport(
                        p.GetProperty("partition").GetInt32(), p.GetProperty("next_offset").GetInt64(), p.GetProperty("high_watermark").GetInt64(),
                        p.TryGetProperty("started_at", out var started) && started.ValueKind == JsonValueKind.Number ? started.GetInt64() : null))])).ToList();
                return new Status(json.GetProperty("lag").GetInt64(), reports, json.GetRawText());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
            }
        }

        return null;
    }

    public async Task<Dictionary<string, (int Occupied, int Waiting)>?> CensusAsync(IEnumerable<SiloProcess> silos)
    {
        foreach (var silo in silos.Where(s => !s.Process.HasExited))
        {
            try
            {
                var json = await _http.GetFromJsonAsync<JsonElement>(silo.Url("/api/census"));
                return json.GetProperty("wards").EnumerateArray().ToDictionary(
                    w => w.GetProperty("ward_id").GetString()!,
                    w => (w.GetProperty("occupied").GetInt32(), w.GetProperty("waiting").GetInt32()),
                    StringComparer.Ordinal);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
            }
        }

        return null;
    }

    /// <summary>The stream checkpoint the silos share in Redis (next offset to read), or null when none was saved.</summary>
    public async Task<long?> CheckpointAsync(int partition)
    {
        var redis = _redisClient ?? throw new InvalidOperationException("This cluster keeps its checkpoints in Azure Storage, not Redis.");
        var value = await redis.GetDatabase().StringGetAsync(
            $"healthcare-orleans/stream-checkpoints/{ProviderName}/{Topic}/{partition.ToString(CultureInfo.InvariantCulture)}");
        return value.IsNull ? null : long.Parse((string)value!, CultureInfo.InvariantCulture);
    }

    /// <summary>Per partition: one past the last offset Bronze committed (its txn version + 1), or null.</summary>
    public async Task<Dictionary<int, long>> BronzeCommittedAsync()
    {
        var offsets = await BronzeOffsetsAsync();
        return offsets.GroupBy(o => o.Partition).ToDictionary(g => g.Key, g => g.Max(o => o.Offset) + 1);
    }

    /// <summary>(partition, offset) of every Bronze row in the shared lake, read through a reader of its own.</summary>
    public async Task<List<(int Partition, long Offset)>> BronzeOffsetsAsync()
    {
        var reader = new LocalLakeStorage(Path.Combine(Root, "lake"));
        if (!await new HealthcareOrleans.Lake.Log.DeltaLog(reader, BronzeTable.Path).ExistsAsync())
        {
            return [];
        }

        var table = await DeltaTable.OpenAsync(reader, BronzeTable.Path);
        var batch = await table.ReadAsync(columns: [BronzeTable.Source, BronzeTable.Partition, BronzeTable.Offset]);
        Assert.All(batch.Column<string?>(BronzeTable.Source), s => Assert.Equal(Broker.SourceId, s));
        return [.. batch.Column<int?>(BronzeTable.Partition).Zip(batch.Column<long?>(BronzeTable.Offset), (p, o) => (p!.Value, o!.Value))];
    }

    /// <summary>To the test output and to progress.log in the cluster folder (readable while the test runs).</summary>
    public void Progress(string line)
    {
        _progress(line);
        File.AppendAllText(Path.Combine(Root, "progress.log"), $"{DateTime.UtcNow:HH:mm:ss.fff} {line}{Environment.NewLine}");
    }

    public static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Silos)
        {
            silo.Process.Dispose();
        }

        _redisClient?.Dispose();
        _redis?.Dispose();
        if (_azureStorage is not null)
        {
            await new Azure.Storage.Blobs.BlobServiceClient(_azureStorage).GetBlobContainerClient(GrainStateContainer).DeleteIfExistsAsync();
        }

        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        _http.Dispose();
        if (Environment.GetEnvironmentVariable("HC_CLUSTER_TEST_KEEP") is null)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
